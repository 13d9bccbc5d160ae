package io.vigil.pipelines.evaluate;

import io.vigil.transforms.csv.ReadClinicalCsv;
import io.vigil.transforms.records.ColumnSpec;
import io.vigil.transforms.records.DeadLetter;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads clinical records for the planted-anomaly evaluation through the product's CSV source. */
public final class ClinicalRecords {
  private static final Logger LOG = LoggerFactory.getLogger(ClinicalRecords.class);

  private ClinicalRecords() {}

  /**
   * The records of {@code pathOrZipEntry} (e.g. {@code dataset_diabetes.zip!dataset_diabetes/diabetic_data.csv}),
   * sampled as pandas' {@code df.sample(n, random_state=seed)} does, sorted by identifier so that the result does
   * not depend on the runner's order. Dead letters are logged with their count.
   */
  public static List<Row> read(EvaluationRunner runner, String pathOrZipEntry, ColumnSpec spec, int sample,
      long seed) {
    Pipeline pipeline = runner.newPipeline();
    LocalCollector<Row> records = LocalCollector.create();
    LocalCollector<DeadLetter> deadLetters = LocalCollector.create();
    ReadClinicalCsv.Result read = pipeline.apply("Read", ReadClinicalCsv.from(pathOrZipEntry).withSpec(spec)
        .withNotebookSample(sample, seed));
    read.records().apply("CollectRecords", records.sink());
    read.deadLetters().apply("CollectDeadLetters", deadLetters.sink());
    runner.run(pipeline);
    List<DeadLetter> rejected = deadLetters.drain();
    if (!rejected.isEmpty()) {
      LOG.warn("{} of the sampled rows of {} were rejected, e.g. {}", rejected.size(), pathOrZipEntry, rejected.get(0));
    }
    return records.drain().stream()
        .sorted(Comparator.comparing(row -> Objects.toString(row.<Object>getValue(spec.idColumn())))).toList();
  }
}
