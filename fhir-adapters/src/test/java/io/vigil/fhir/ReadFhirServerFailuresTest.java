package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import io.vigil.transforms.records.DeadLetter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ReadFhirServer} does when the server keeps failing: dead letters naming the request, no pipeline
 * failure, and the rest of the data still mapped. Two servers, one per failure, read in one direct-runner pipeline.
 */
class ReadFhirServerFailuresTest {
  private static final Date LOADED = Date.from(Instant.parse("2024-01-01T00:00:00Z"));

  @TempDir
  Path out;

  @Test
  void failuresThatOutlastTheRetriesBecomeDeadLetters() throws Exception {
    try (InMemoryFhirServer searchFails = new InMemoryFhirServer(50);
        InMemoryFhirServer fetchFails = new InMemoryFhirServer(50)) {
      // four patients are enough to see one batch lost and the others mapped
      searchFails.load(SyntheaFiles.bundles().subList(0, 4), LOADED);
      fetchFails.load(SyntheaFiles.bundles().subList(0, 4), LOADED);
      searchFails.failNext(RestOperationTypeEnum.SEARCH_TYPE, "Encounter", 503);
      searchFails.failNext(RestOperationTypeEnum.SEARCH_TYPE, "Encounter", 503);
      String unlucky = PatientResources.patientIdOf(fetchFails.provider("Patient").search(null, null, null).get(0));
      fetchFails.failAlways("Condition", unlucky, 500);

      Pipeline pipeline = TestPipelines.direct();
      FhirRecords noSearch = pipeline.apply("SearchFails", ReadFhirServer.from(server(searchFails)));
      FhirRecords oneBatchLost = pipeline.apply("FetchFails",
          ReadFhirServer.from(server(fetchFails)).withPatientBatchSize(1));
      TestPipelines.collectRecords(noSearch.records(), out, "noSearchRecords");
      TestPipelines.collect(describe(noSearch.deadLetters(), "NoSearch"), out, "noSearchDeadLetters");
      TestPipelines.collectRecords(oneBatchLost.records(), out, "batchRecords");
      TestPipelines.collect(describe(oneBatchLost.deadLetters(), "Batch"), out, "batchDeadLetters");
      pipeline.run().waitUntilFinish();

      assertThat(TestPipelines.readLines(out, "noSearchRecords")).isEmpty();
      assertThat(TestPipelines.readLines(out, "noSearchDeadLetters")).singleElement().asString()
          .isEqualTo(searchFails.baseUrl() + " | Encounter search page 1 | Encounter search page 1 failed: HTTP 503"
              + " after 2 attempt(s); the encounters of this and later pages were not read");

      List<String> lost = TestPipelines.readLines(out, "batchDeadLetters");
      assertThat(lost).as("the unlucky patient's batch of one").hasSize(1)
          .anySatisfy(d -> assertThat(d).contains("Patient/" + unlucky))
          .allSatisfy(d -> assertThat(d).contains("| Patient/").contains("Condition fetch page 1 failed: HTTP 500"));
      Set<String> lostPatients = new HashSet<>();
      lost.forEach(d -> lostPatients.add(d.substring(d.indexOf("Patient/") + 8, d.indexOf(" | ", d.indexOf("Patient/")))));
      Map<String, Map<String, String>> mapped = TestPipelines.readRecords(out, "batchRecords");
      int lostEncounters = 0;
      for (Resource resource : fetchFails.provider("Encounter").search(null, null, null).stream()
          .map(r -> (Resource) r).toList()) {
        String patient = PatientResources.patientIdOf(resource);
        boolean isLost = lostPatients.contains(patient);
        lostEncounters += isLost ? 1 : 0;
        assertThat(mapped.containsKey(((Encounter) resource).getIdPart())).isEqualTo(!isLost);
      }
      assertThat(lostEncounters).isPositive();
      assertThat(mapped).hasSize(fetchFails.provider("Encounter").size() - lostEncounters).isNotEmpty();
    }
  }

  private static FhirServer server(InMemoryFhirServer server) {
    return FhirServer.at(server.baseUrl()).withMaxAttempts(2).withBackoff(Duration.ofMillis(10), Duration.ofMillis(10));
  }

  private static PCollection<String> describe(PCollection<DeadLetter> deadLetters, String name) {
    return deadLetters.apply("Describe" + name, MapElements.into(TypeDescriptors.strings())
        .via(d -> d.source() + " | " + d.location() + " | " + d.reason()));
  }
}
