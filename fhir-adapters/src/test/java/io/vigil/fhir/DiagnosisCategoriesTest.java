package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiagnosisCategoriesTest {

  @ParameterizedTest(name = "ICD-9 {0} -> {1}")
  @CsvSource({"428.0, 428", "4280, 428", "038.9, 38", "250.83, 250.83", "250.80, 250.8", "250.00, 250", "25002, 250.02",
      "250, 250", "V57.1, V57", "v45, V45", "E909.2, E909", "008.45, 8"})
  void icd9AsTheCsvWritesIt(String code, String expected) {
    assertThat(DiagnosisCategories.icd9Category(code)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}|{1} -> {2}")
  @CsvSource({
      "http://hl7.org/fhir/sid/icd-10-cm, E11.9, 250",
      "http://hl7.org/fhir/sid/icd-10-cm, e10.65, 250.01",
      "http://hl7.org/fhir/sid/icd-10, I50.9, 428",
      "http://hl7.org/fhir/sid/icd-10-cm, K35.80, ICD10:K35.80",
      "http://snomed.info/sct, 44054006, 250",
      "http://snomed.info/sct, 368581000119106, 250.6",
      "http://snomed.info/sct, 999999999, SNOMED:999999999"})
  void icd10AndSnomedThroughTheTablesOrKeptWithTheirSystem(String system, String code, String expected) {
    assertThat(DiagnosisCategories.categoryOf(new CodeableConcept(new Coding(system, code, null)))).isEqualTo(expected);
  }

  @Test
  void icd9CodingWinsOverSnomedInTheSameConcept() {
    CodeableConcept concept = new CodeableConcept()
        .addCoding(new Coding(DiagnosisCategories.SNOMED_SYSTEM, "44054006", null))
        .addCoding(new Coding(DiagnosisCategories.ICD9_SYSTEM, "250.02", null));
    assertThat(DiagnosisCategories.categoryOf(concept)).isEqualTo("250.02");
  }

  @Test
  void otherSystemsKeepSystemAndCodeAndTextOnlyIsMissing() {
    assertThat(DiagnosisCategories.categoryOf(new CodeableConcept(new Coding("http://example.org/dx", "A1", null))))
        .isEqualTo("http://example.org/dx|A1");
    assertThat(DiagnosisCategories.categoryOf(new CodeableConcept().setText("chest pain"))).isNull();
  }
}
