package io.vigil.pipelines.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.pipelines.evaluate.PlantedAnomalies.Type;
import io.vigil.transforms.records.Diabetes130;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

class DiabetesPlantedEvaluationTest {
  private static final String DIABETES = Path.of(System.getProperty("vigil.shared.dir"), "data", "diabetes130",
      "dataset_diabetes.zip") + "!dataset_diabetes/diabetic_data.csv";

  @Test
  void readsRealRowsThroughTheCsvSourceAndMeasuresEveryPlantedType() {
    List<Row> rows = ClinicalRecords.read(EvaluationRunner.embeddedFlink(1), DIABETES, Diabetes130.SPEC, 1500, 42);
    assertThat(rows).hasSize(1500);

    List<SeedResult> results = new PlantedEvaluation(Diabetes130.SPEC, "diabetes", 1000, 450).run(rows, List.of(1L),
        List.of(Type.values()), List.of(RandomCutForestDetector.withDefaults()), r -> { });

    assertThat(results).extracting(SeedResult::dataset).containsExactly("diabetes/local", "diabetes/global",
        "diabetes/dependency", "diabetes/clustered", "diabetes/implausible");
    // global anomalies (any category, numbers spread over the whole range) are the easiest: RCF must find them
    assertThat(results.get(1).aucRoc()).isGreaterThan(80.0);
  }
}
