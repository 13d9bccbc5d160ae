package io.vigil.transforms.score;

import io.vigil.models.CriticScorer;
import io.vigil.models.DeviceChoice;
import io.vigil.models.ModelBundle;
import io.vigil.transforms.preprocess.PreprocessingArtifact;
import io.vigil.transforms.train.BundleAttachments;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded critic per bundle directory and JVM, shared by every scoring DoFn instance in it: loaded by the first
 * {@link #acquire}, closed (native memory freed) by the last {@link #release}. A Flink task manager runs many DoFn
 * instances in one JVM; each would otherwise hold its own copy of the network and the reference rows.
 */
final class SharedCritic {
  private static final Logger LOG = LoggerFactory.getLogger(SharedCritic.class);
  private static final Map<String, SharedCritic> LOADED = new HashMap<>();

  private final String key;
  private final CriticScorer scorer;
  private final String fingerprint;
  private final int width;
  /** For each feature, the index of its source column in {@link #columns}. */
  private final int[] columnOfFeature;
  private final String[] columns;
  private int users;

  private SharedCritic(String key, ModelBundle bundle, DeviceChoice device) {
    this.key = key;
    PreprocessingArtifact artifact = BundleAttachments.artifact(bundle);
    if (artifact.width() != bundle.inputWidth()) {
      throw new IllegalArgumentException("the bundle's critic reads " + bundle.inputWidth()
          + " features but its preprocessing artifact produces " + artifact.width());
    }
    this.fingerprint = bundle.fingerprint();
    this.width = bundle.inputWidth();
    this.columnOfFeature = new int[width];
    Map<String, Integer> indexOfColumn = new LinkedHashMap<>();
    for (int feature = 0; feature < width; feature++) {
      String column = artifact.sourceColumnOf(feature);
      Integer index = indexOfColumn.computeIfAbsent(column, c -> indexOfColumn.size());
      columnOfFeature[feature] = index;
    }
    this.columns = indexOfColumn.keySet().toArray(String[]::new);
    this.scorer = CriticScorer.open(bundle, device);
  }

  /** The critic of the bundle in {@code directory}, loading it if no DoFn in this JVM holds it yet. */
  static synchronized SharedCritic acquire(String directory, DeviceChoice device) {
    Path path = Paths.get(directory).toAbsolutePath().normalize();
    String key = path + "|" + device;
    SharedCritic shared = LOADED.get(key);
    if (shared == null) {
      LOG.info("Loading the critic of {} on device {}", path, device);
      shared = new SharedCritic(key, ModelBundle.load(path), device);
      LOADED.put(key, shared);
    }
    shared.users++;
    return shared;
  }

  /** Gives back one {@link #acquire}; the last one closes the critic. */
  void release() {
    synchronized (SharedCritic.class) {
      if (--users == 0) {
        LOADED.remove(key);
        scorer.close();
        LOG.info("Closed the critic of {}", key);
      }
    }
  }

  /** How many critics are loaded in this JVM (for tests of the sharing). */
  static synchronized int loadedCount() {
    return LOADED.size();
  }

  CriticScorer scorer() {
    return scorer;
  }

  String fingerprint() {
    return fingerprint;
  }

  int width() {
    return width;
  }

  /**
   * The {@code count} source columns with the most negative summed contribution in one row's gradient × input (row
   * {@code row} of a row-major rows × width array), most negative first; columns that raised the score are left out.
   */
  List<Map.Entry<String, Double>> mostNegativeColumns(float[] gradientTimesInput, int row, int count) {
    double[] perColumn = new double[columns.length];
    int offset = row * width;
    for (int feature = 0; feature < width; feature++) {
      perColumn[columnOfFeature[feature]] += gradientTimesInput[offset + feature];
    }
    List<Map.Entry<String, Double>> negative = new ArrayList<>();
    for (int c = 0; c < columns.length; c++) {
      if (perColumn[c] < 0) {
        negative.add(Map.entry(columns[c], perColumn[c]));
      }
    }
    negative.sort(Map.Entry.comparingByValue());
    return negative.subList(0, Math.min(count, negative.size()));
  }
}
