package io.vigil.transforms.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.transforms.records.ColumnKind;
import io.vigil.transforms.records.ColumnSpec;
import io.vigil.transforms.records.Diabetes130;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class ColumnSpecInferenceTest {
  @Test
  void proposesTheDiabetesSpecFromTheFirstThousandRows() throws IOException {
    Path zip = Path.of(System.getProperty("vigil.shared.dir", "../shared"), "data/diabetes130/dataset_diabetes.zip");
    List<String> sample;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      ZipEntry entry = in.getNextEntry();
      while (!entry.getName().equals("dataset_diabetes/diabetic_data.csv")) {
        entry = in.getNextEntry();
      }
      sample = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().limit(1001).toList();
    }

    ColumnSpec proposed = ColumnSpecInference.propose(sample, "encounter_id", "?",
        Set.of("patient_nbr", "admission_type_id", "discharge_disposition_id", "admission_source_id"));

    assertThat(proposed).isEqualTo(Diabetes130.SPEC);
  }

  @Test
  void classifiesAsPandasDoesExceptForColumnsWithoutValues() {
    ColumnSpec proposed = ColumnSpecInference.propose(List.of(
        "id,count,score,code,empty,label",
        "1,3,-0.5,250.83,?,a",
        "",
        "2,?,1e3,V57,,\"b, c\""), "id");

    assertThat(proposed.columns()).extracting(ColumnSpec.Column::kind).containsExactly(ColumnKind.IDENTIFIER,
        ColumnKind.NUMERIC, ColumnKind.NUMERIC, ColumnKind.CATEGORICAL, ColumnKind.CATEGORICAL, ColumnKind.CATEGORICAL);
    assertThatThrownBy(() -> ColumnSpecInference.propose(List.of("id,x", "1,2,3"), "id"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2: expected 2 fields, found 3");
    assertThatThrownBy(() -> ColumnSpecInference.propose(List.of("id,x"), "id", "?", Set.of("y")))
        .hasMessageContaining("ignored column 'y' is not in the header");
    assertThatThrownBy(() -> ColumnSpecInference.propose(List.of("a,x"), "id"))
        .hasMessageContaining("identifier column 'id' is not among the columns");
  }
}
