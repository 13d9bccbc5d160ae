package io.vigil.pipelines.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.pipelines.evaluate.PlantedAnomalies.Type;
import io.vigil.transforms.records.ColumnSpec;
import io.vigil.transforms.records.Diabetes130;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

class PlantedAnomaliesTest {
  private static final ColumnSpec SPEC = Diabetes130.SPEC;

  /** Diabetes-shaped rows: counts around 5 with spread 1, two races, adults only. */
  static List<Row> realistic(int n, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Object> values = new ArrayList<>();
      for (String column : SPEC.names()) {
        values.add(switch (SPEC.column(column).kind()) {
          case NUMERIC -> (double) Math.round(5 + random.nextGaussian());
          case CATEGORICAL -> column.equals("race") ? (random.nextBoolean() ? "Caucasian" : "AfricanAmerican")
              : column.equals("age") ? "[60-70)" : "No";
          case IDENTIFIER -> "e" + i;
          case IGNORED -> null;
        });
      }
      rows.add(Row.withSchema(SPEC.schema()).addValues(values).build());
    }
    return rows;
  }

  private final List<Row> reference = realistic(400, 1);
  private final List<Row> heldOut = realistic(100, 2);
  private final PlantedAnomalies planter = PlantedAnomalies.fittedTo(SPEC, reference);

  private static double spread(List<Row> rows, String column) {
    double mean = rows.stream().mapToDouble(r -> r.getDouble(column)).average().orElseThrow();
    return Math.sqrt(rows.stream().mapToDouble(r -> Math.pow(r.getDouble(column) - mean, 2)).average().orElseThrow());
  }

  @Test
  void localAnomaliesSpreadWiderClusteredOnesSitFarAway() {
    List<Row> local = planter.generate(Type.LOCAL, 300, heldOut, 3);
    assertThat(spread(local, "num_medications")).isGreaterThan(1.8 * spread(reference, "num_medications"));
    List<Row> clustered = planter.generate(Type.CLUSTERED, 300, heldOut, 3);
    double clusteredMean = clustered.stream().mapToDouble(r -> r.getDouble("num_lab_procedures")).average()
        .orElseThrow();
    assertThat(clusteredMean).isBetween(23.0, 27.0);
  }

  @Test
  void globalAnomaliesCoverTheWidenedRangeAndAnyLevel() {
    List<Row> global = planter.generate(Type.GLOBAL, 300, heldOut, 4);
    double min = reference.stream().mapToDouble(r -> r.getDouble("time_in_hospital")).min().orElseThrow();
    double max = reference.stream().mapToDouble(r -> r.getDouble("time_in_hospital")).max().orElseThrow();
    assertThat(global).allSatisfy(r -> assertThat(r.getDouble("time_in_hospital"))
        .isBetween(Math.floor(min * 1.1), Math.ceil(max * 1.1)));
    Set<String> races = new HashSet<>();
    global.forEach(r -> races.add(r.getString("race")));
    assertThat(races).containsExactlyInAnyOrder("Caucasian", "AfricanAmerican");
  }

  @Test
  void dependencyAnomaliesUseOnlyObservedValues() {
    Set<Double> seen = new HashSet<>();
    reference.forEach(r -> seen.add(r.getDouble("number_inpatient")));
    assertThat(planter.generate(Type.DEPENDENCY, 200, heldOut, 5))
        .allSatisfy(r -> assertThat(seen).contains(r.getDouble("number_inpatient")));
  }

  @Test
  void implausibleRecordsBreakAClinicalRule() {
    List<Row> implausible = planter.generate(Type.IMPLAUSIBLE, 10, heldOut, 6);
    assertThat(implausible).allSatisfy(r -> assertThat(
        (r.getDouble("time_in_hospital") == 1.0 && r.getDouble("num_medications") == 80.0)
            || ("[0-10)".equals(r.getString("age")) && "Steady".equals(r.getString("metformin-pioglitazone"))))
        .isTrue());
  }

  @Test
  void plantedRowsKeepTheSchemaAndGetTheirOwnIds() {
    List<Row> rows = planter.generate(Type.LOCAL, 5, heldOut, 7);
    assertThat(rows).allSatisfy(r -> assertThat(r.getSchema()).isEqualTo(SPEC.schema()));
    assertThat(rows).extracting(r -> r.getString("encounter_id"))
        .containsExactly("planted-local-0", "planted-local-1", "planted-local-2", "planted-local-3", "planted-local-4");
    assertThat(planter.generate(Type.LOCAL, 5, heldOut, 7)).isEqualTo(rows);
  }

  @Test
  void implausibleNeedsTheDiabetesColumns() {
    ColumnSpec other = ColumnSpec.of(List.of(ColumnSpec.Column.of("id", io.vigil.transforms.records.ColumnKind.IDENTIFIER),
        ColumnSpec.Column.of("x", io.vigil.transforms.records.ColumnKind.NUMERIC)), "id");
    List<Row> rows = List.of(Row.withSchema(other.schema()).addValues("a", 1.0).build(),
        Row.withSchema(other.schema()).addValues("b", 2.0).build());
    assertThatThrownBy(() -> PlantedAnomalies.fittedTo(other, rows).generate(Type.IMPLAUSIBLE, 1, rows, 1))
        .hasMessageContaining("diabetes columns");
  }
}
