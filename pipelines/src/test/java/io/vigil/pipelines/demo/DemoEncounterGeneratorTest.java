package io.vigil.pipelines.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.transforms.records.Diabetes130;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoEncounterGeneratorTest {
  private static final DemoDataset DATA = DemoEncounterGenerator.withSeed(7).withEncounters(4000).generate();

  private static int column(String name) {
    return Diabetes130.SPEC.names().indexOf(name);
  }

  private static double fraction(String column, String value) {
    int c = column(column);
    return DATA.rows().stream().filter(r -> r.get(c).equals(value)).count() / (double) DATA.rows().size();
  }

  @Test
  void sameSeedGivesTheSameEncountersAndAnotherSeedDoesNot() {
    assertThat(DemoEncounterGenerator.withSeed(7).withEncounters(4000).generate().rows()).isEqualTo(DATA.rows());
    assertThat(DemoEncounterGenerator.withSeed(8).withEncounters(4000).generate().rows()).isNotEqualTo(DATA.rows());
  }

  @Test
  void everyRowHasTheFiftyDiabetesColumnsAndAUniqueId() {
    assertThat(DATA.columns()).isEqualTo(Diabetes130.SPEC.names());
    Set<String> ids = new HashSet<>();
    for (List<String> row : DATA.rows()) {
      assertThat(row).hasSize(50).doesNotContainNull();
      ids.add(row.get(0));
    }
    assertThat(ids).hasSize(4000);
  }

  @Test
  void plantsOnePercentOfEveryKindWithIdsThatExist() {
    assertThat(DATA.planted()).hasSize(40);
    assertThat(EnumSet.copyOf(DATA.planted().values())).isEqualTo(EnumSet.allOf(PlantedAnomaly.class));
    Set<String> ids = new HashSet<>();
    DATA.rows().forEach(r -> ids.add(r.get(0)));
    assertThat(ids).containsAll(DATA.planted().keySet());
  }

  @Test
  void marginalsFollowTheRealProfile() {
    // Missing fractions and level shares of the real 101,766 rows (shared/data/diabetes130 profile).
    assertThat(fraction("payer_code", "?")).isCloseTo(0.40, within(0.05));
    assertThat(fraction("medical_specialty", "?")).isCloseTo(0.49, within(0.04));
    assertThat(fraction("weight", "?")).isCloseTo(0.969, within(0.015));
    assertThat(fraction("max_glu_serum", "None")).isCloseTo(0.947, within(0.02));
    assertThat(fraction("A1Cresult", "None")).isCloseTo(0.833, within(0.03));
    assertThat(fraction("diabetesMed", "Yes")).isCloseTo(0.77, within(0.06));
    assertThat(fraction("readmitted", "NO")).isCloseTo(0.54, within(0.06));
  }

  @Test
  void olderPatientsTakeMoreMedicationsAndCarryMoreDiagnoses() {
    int age = column("age");
    int medications = column("num_medications");
    int diagnoses = column("number_diagnoses");
    double[] ageBand = new double[DATA.rows().size()];
    double[] meds = new double[ageBand.length];
    double[] diags = new double[ageBand.length];
    for (int i = 0; i < ageBand.length; i++) {
      List<String> row = DATA.rows().get(i);
      ageBand[i] = Integer.parseInt(row.get(age).substring(1, row.get(age).indexOf('-')));
      meds[i] = Double.parseDouble(row.get(medications));
      diags[i] = Double.parseDouble(row.get(diagnoses));
    }
    PearsonsCorrelation correlation = new PearsonsCorrelation();
    assertThat(correlation.correlation(ageBand, meds)).isGreaterThan(0.2);
    assertThat(correlation.correlation(ageBand, diags)).isGreaterThan(0.4);
    assertThat(correlation.correlation(diags, meds)).isGreaterThan(0.2);
  }

  @Test
  void plantedRecordsBreakTheirRule() {
    int age = column("age");
    int gender = column("gender");
    int diabetesMed = column("diabetesMed");
    int insulin = column("insulin");
    for (List<String> row : DATA.rows()) {
      PlantedAnomaly kind = DATA.planted().get(row.get(0));
      if (kind == PlantedAnomaly.PAEDIATRIC_MEDICARE_POLYPHARMACY) {
        assertThat(row.get(age)).isEqualTo("[0-10)");
      } else if (kind == PlantedAnomaly.OBSTETRIC_RECORD_FOR_MALE) {
        assertThat(row.get(gender)).isEqualTo("Male");
      } else if (kind == PlantedAnomaly.MEDICATION_CONTRADICTION) {
        assertThat(row.get(diabetesMed)).isEqualTo("No");
        assertThat(row.get(insulin)).isEqualTo("Up");
      } else if (kind == null) {
        // Normal encounters keep the medication columns and diabetesMed consistent.
        assertThat(row.get(diabetesMed).equals("No")).isEqualTo(
            Diabetes130.MEDICATION_COLUMNS.stream().allMatch(m -> row.get(column(m)).equals("No")));
      }
    }
  }

  @Test
  void writesTheRealFileLayoutAndTheAnswerKey(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("encounters.csv");
    Path labels = dir.resolve("labels.csv");
    DATA.writeCsv(csv);
    DATA.writeLabels(labels);
    String text = Files.readString(csv, StandardCharsets.UTF_8);
    assertThat(text).startsWith("encounter_id,patient_nbr,race,gender,age,weight,").contains("\r\n");
    assertThat(text.split("\r\n")).hasSize(4001);
    List<String> labelLines = Files.readAllLines(labels);
    assertThat(labelLines).hasSize(41);
    assertThat(labelLines.get(0)).isEqualTo("encounter_id,anomaly,description");
  }
}
