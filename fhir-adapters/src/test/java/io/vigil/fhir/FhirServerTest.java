package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FhirServerTest {

  @Test
  void defaultsAndTrailingSlash() {
    FhirServer server = FhirServer.at("https://fhir.example.org/r4/");
    assertThat(server.baseUrl()).isEqualTo("https://fhir.example.org/r4");
    assertThat(server.maxAttempts()).isEqualTo(5);
    assertThat(server.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theTokenNeverShowsInToString() {
    String shown = FhirServer.at("https://fhir.example.org/r4").withBearerToken("s3cr3t-token").toString();
    assertThat(shown).doesNotContain("s3cr3t").contains("bearer token set");
    assertThat(ReadFhirServer.from(FhirServer.at("https://x.org").withBearerToken("s3cr3t-token")).toString())
        .doesNotContain("s3cr3t");
  }

  @Test
  void argumentsAreCheckedWhereTheyAreSet() {
    assertThatThrownBy(() -> FhirServer.at("ftp://fhir.example.org")).hasMessageContaining("http or https");
    assertThatThrownBy(() -> FhirServer.at(" ")).hasMessageContaining("must be given");
    FhirServer server = FhirServer.at("http://localhost/fhir");
    assertThatThrownBy(() -> server.withBearerToken("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> server.withMaxAttempts(0)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> server.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReadFhirServer.from(server).withPageSize(0)).hasMessageContaining("page size");
    assertThatThrownBy(() -> ReadFhirServer.from(server).withPatientBatchSize(0)).hasMessageContaining("batch");
    assertThatThrownBy(() -> ReadFhirFiles.bundles("")).hasMessageContaining("path or glob");
    assertThatThrownBy(() -> WriteRiskAssessments.to("/tmp/out/").withBatchSize(0)).hasMessageContaining("batch");
  }
}
