package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceReferencesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "null", value = {
      "urn:uuid:948e608d-e408-4788-8cf2-8157c49c2940, 948e608d-e408-4788-8cf2-8157c49c2940",
      "Patient/123, 123",
      "https://fhir.example.org/r4/Patient/123/_history/4, 123",
      "Patient?identifier=x|1, Patient",
      "#contained, null",
      "'', null"})
  void logicalIdOfReferences(String reference, String expected) {
    assertThat(ResourceReferences.logicalId(reference)).isEqualTo(expected);
  }
}
