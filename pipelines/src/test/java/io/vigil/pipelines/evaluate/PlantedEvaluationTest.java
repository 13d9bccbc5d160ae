package io.vigil.pipelines.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.pipelines.evaluate.PlantedAnomalies.Type;
import io.vigil.transforms.records.ColumnSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

class PlantedEvaluationTest {
  @Test
  void reportsEachTypeSeparatelyAndFindsTheFarOnes() {
    ColumnSpec spec = NumericTable.spec(4);
    Random random = new Random(3);
    double[][] x = new double[2000][4];
    for (double[] row : x) {
      double shared = 20 + 3 * random.nextGaussian();
      for (int c = 0; c < 4; c++) {
        row[c] = Math.round(shared + random.nextGaussian());
      }
    }
    List<Row> records = NumericTable.rows(spec, x, "r");
    List<SeedResult> results = new PlantedEvaluation(spec, "toy", 1000, 400).run(records, List.of(1L, 2L),
        List.of(Type.GLOBAL, Type.CLUSTERED, Type.DEPENDENCY), List.of(RandomCutForestDetector.withDefaults()),
        r -> { });

    assertThat(results).extracting(SeedResult::dataset)
        .containsExactly("toy/global", "toy/clustered", "toy/dependency", "toy/global", "toy/clustered",
            "toy/dependency");
    List<Double> clustered = new ArrayList<>();
    results.stream().filter(r -> r.dataset().equals("toy/clustered")).forEach(r -> clustered.add(r.aucRoc()));
    // clustered anomalies sit at five times the mean: any working detector separates them
    assertThat(clustered).allSatisfy(auc -> assertThat(auc).isGreaterThan(95.0));
    assertThat(results).allSatisfy(r -> assertThat(r.aucRoc()).isBetween(0.0, 100.0));
  }
}
