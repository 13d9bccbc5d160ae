package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import io.vigil.transforms.records.DeadLetter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 16 Synthea bundles through {@link ReadFhirFiles} on embedded Flink, as Bundles and as the NDJSON a bulk export
 * would give, with invalid files and resources planted in temporary copies. One pipeline run serves all tests.
 */
class ReadFhirFilesPipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;

  private static Map<String, Map<String, String>> bundleRecords;
  private static Map<String, Map<String, String>> ndjsonRecords;
  private static List<String> bundleDeadLetters;
  private static List<String> ndjsonDeadLetters;

  @BeforeAll
  static void runPipeline() throws IOException {
    Path bundles = Files.createDirectories(work.resolve("bundles"));
    for (Path bundle : SyntheaFiles.bundles()) {
      Files.copy(bundle, bundles.resolve(bundle.getFileName()));
    }
    Files.writeString(bundles.resolve("truncated.json"), "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [");
    Files.writeString(bundles.resolve("patient-not-bundle.json"), "{\"resourceType\": \"Patient\", \"id\": \"p\"}");
    Files.writeString(bundles.resolve("orphans.json"), "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": ["
        + "{\"fullUrl\": \"urn:uuid:enc-orphan\", \"resource\": {\"resourceType\": \"Encounter\", \"status\": \"finished\","
        + " \"class\": {\"code\": \"AMB\"}, \"subject\": {\"reference\": \"Patient/p-orphan\"}}},"
        + "{\"resource\": {\"resourceType\": \"Condition\", \"id\": \"c-no-subject\","
        + " \"code\": {\"coding\": [{\"system\": \"http://snomed.info/sct\", \"code\": \"44054006\"}]}}}]}");

    Path ndjson = Files.createDirectories(work.resolve("ndjson"));
    writeBulkExport(ndjson);

    Path out = work.resolve("out");
    Pipeline pipeline = FlinkTestPipelines.create();
    FhirRecords fromBundles = pipeline.apply("Bundles", ReadFhirFiles.bundles(bundles + "/*.json"));
    FhirRecords fromNdjson = pipeline.apply("Ndjson", ReadFhirFiles.ndjson(ndjson + "/*.ndjson"));
    FlinkTestPipelines.collectRecords(fromBundles.records(), out, "bundleRecords");
    FlinkTestPipelines.collectRecords(fromNdjson.records(), out, "ndjsonRecords");
    FlinkTestPipelines.collect(describe(fromBundles.deadLetters(), "Bundle"), out, "bundleDeadLetters");
    FlinkTestPipelines.collect(describe(fromNdjson.deadLetters(), "Ndjson"), out, "ndjsonDeadLetters");
    pipeline.run().waitUntilFinish();

    bundleRecords = FlinkTestPipelines.readRecords(out, "bundleRecords");
    ndjsonRecords = FlinkTestPipelines.readRecords(out, "ndjsonRecords");
    bundleDeadLetters = FlinkTestPipelines.readLines(out, "bundleDeadLetters");
    ndjsonDeadLetters = FlinkTestPipelines.readLines(out, "ndjsonDeadLetters");
  }

  private static PCollection<String> describe(PCollection<DeadLetter> deadLetters, String name) {
    return deadLetters.apply("Describe" + name, MapElements.into(TypeDescriptors.strings())
        .via(d -> Path.of(d.source()).getFileName() + " | " + d.location() + " | " + d.reason()));
  }

  /** One NDJSON file per resource type from the bundles' entries, plus two invalid lines. */
  private static void writeBulkExport(Path dir) throws IOException {
    Map<String, StringBuilder> byType = new TreeMap<>();
    for (Path bundle : SyntheaFiles.bundles()) {
      for (JsonNode entry : JSON.readTree(bundle.toFile()).get("entry")) {
        JsonNode resource = entry.get("resource");
        byType.computeIfAbsent(resource.get("resourceType").asText(), t -> new StringBuilder())
            .append(JSON.writeValueAsString(resource)).append('\n');
      }
    }
    byType.get("Observation").append("{\"resourceType\": \"Observation\", \"id\": \"bad-status\", \"status\": \"bogus\","
        + " \"code\": {\"text\": \"x\"}, \"subject\": {\"reference\": \"Patient/p\"}}\n").append("not json at all\n");
    for (Map.Entry<String, StringBuilder> type : byType.entrySet()) {
      Files.writeString(dir.resolve(type.getKey() + ".ndjson"), type.getValue());
    }
  }

  @Test
  void everySyntheaEncounterBecomesOneRecord() throws IOException {
    Map<String, JsonNode> encounters = sourceResources("Encounter");
    assertThat(encounters).hasSize(SyntheaFiles.ENCOUNTERS);
    assertThat(bundleRecords.keySet()).containsAll(encounters.keySet()).contains("enc-orphan")
        .hasSize(SyntheaFiles.ENCOUNTERS + 1);
    assertThat(ndjsonRecords.keySet()).isEqualTo(encounters.keySet());
  }

  @Test
  void ndjsonGroupedByPatientGivesTheSameRecordsAsBundles() {
    for (Map.Entry<String, Map<String, String>> record : ndjsonRecords.entrySet()) {
      assertThat(record.getValue()).as(record.getKey()).isEqualTo(bundleRecords.get(record.getKey()));
    }
  }

  @Test
  void invalidFilesAndResourcesAreDeadLettersWithTheirReason() {
    assertThat(bundleDeadLetters).hasSize(3);
    assertThat(bundleDeadLetters).anySatisfy(d -> assertThat(d).startsWith("truncated.json |")
        .contains("not a valid FHIR R4 JSON Bundle"));
    assertThat(bundleDeadLetters).anySatisfy(d -> assertThat(d).startsWith("patient-not-bundle.json |")
        .contains("Bundle").contains("Patient"));
    assertThat(bundleDeadLetters).anySatisfy(d -> assertThat(d).startsWith("orphans.json | entry 2 |")
        .contains("Condition has no subject reference"));

    assertThat(ndjsonDeadLetters).hasSize(2);
    assertThat(ndjsonDeadLetters).anySatisfy(d -> assertThat(d).startsWith("Observation.ndjson | line ")
        .contains("bogus"));
    assertThat(ndjsonDeadLetters).anySatisfy(d -> assertThat(d).startsWith("Observation.ndjson | line ")
        .contains("not a valid FHIR R4 resource"));
  }

  @Test
  void recordsAgreeWithTheSourceJson() throws IOException {
    Map<String, JsonNode> patients = sourceResources("Patient");
    Map<String, Integer> procedures = countByEncounter(sourceResources("Procedure"), r -> true);
    Map<String, Integer> labs = countByEncounter(sourceResources("Observation"),
        r -> r.path("category").toString().contains("\"laboratory\""));
    Map<String, Double> highestHba1c = new HashMap<>();
    for (JsonNode observation : sourceResources("Observation").values()) {
      if (observation.path("code").toString().contains("\"4548-4\"")) {
        highestHba1c.merge(encounterOf(observation), observation.path("valueQuantity").path("value").asDouble(),
            Math::max);
      }
    }
    for (Map.Entry<String, JsonNode> encounter : sourceResources("Encounter").entrySet()) {
      Map<String, String> record = bundleRecords.get(encounter.getKey());
      String patientId = encounter.getValue().path("subject").path("reference").asText().replace("urn:uuid:", "");
      assertThat(record.get("patient_nbr")).isEqualTo(patientId);
      String gender = patients.get(patientId).path("gender").asText();
      assertThat(record.get("gender")).isEqualToIgnoringCase(gender);
      assertThat(record.get("num_procedures"))
          .isEqualTo(String.valueOf((double) procedures.getOrDefault(encounter.getKey(), 0)));
      assertThat(record.get("num_lab_procedures"))
          .isEqualTo(String.valueOf((double) labs.getOrDefault(encounter.getKey(), 0)));
      Double hba1c = highestHba1c.get(encounter.getKey());
      assertThat(record.get("A1Cresult"))
          .isEqualTo(hba1c == null ? "None" : hba1c > 8 ? ">8" : hba1c > 7 ? ">7" : "Norm");
      boolean emergency = "EMER".equals(encounter.getValue().path("class").path("code").asText());
      assertThat(record.get("admission_type_id")).isEqualTo(emergency ? "1" : null);
    }
  }

  @Test
  void metforminPatientsAreOnMetforminFromTheirFirstPrescription() throws IOException {
    // Synthea's metformin orders stay active: a patient is on it in the ordering encounter and every later one.
    Map<String, String> firstMetformin = new HashMap<>();
    java.util.Set<String> orderingEncounters = new java.util.HashSet<>();
    for (JsonNode request : sourceResources("MedicationRequest").values()) {
      if (request.path("medicationCodeableConcept").toString().contains("\"860975\"")) {
        firstMetformin.merge(request.path("subject").path("reference").asText().replace("urn:uuid:", ""),
            request.path("authoredOn").asText(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        orderingEncounters.add(encounterOf(request));
      }
    }
    assertThat(firstMetformin).hasSize(8);
    int onMetformin = 0;
    for (Map.Entry<String, JsonNode> encounter : sourceResources("Encounter").entrySet()) {
      Map<String, String> record = bundleRecords.get(encounter.getKey());
      String first = firstMetformin.get(record.get("patient_nbr"));
      String start = encounter.getValue().path("period").path("start").asText();
      boolean expected = orderingEncounters.contains(encounter.getKey()) || first != null && start.compareTo(first) > 0;
      assertThat(record.get("metformin")).as(encounter.getKey()).isEqualTo(expected ? "Steady" : "No");
      if (orderingEncounters.contains(encounter.getKey())) {
        assertThat(record.get("change")).as("each patient's one metformin order starts it").isEqualTo("Ch");
      }
      assertThat(record.get("diabetesMed")).isEqualTo(
          "No".equals(record.get("metformin")) && "No".equals(record.get("insulin")) ? "No" : "Yes");
      onMetformin += expected ? 1 : 0;
    }
    assertThat(onMetformin).isGreaterThan(orderingEncounters.size());
  }

  private static Map<String, JsonNode> sourceResources(String type) throws IOException {
    Map<String, JsonNode> resources = new HashMap<>();
    for (Path bundle : SyntheaFiles.bundles()) {
      for (JsonNode entry : JSON.readTree(bundle.toFile()).get("entry")) {
        JsonNode resource = entry.get("resource");
        if (type.equals(resource.get("resourceType").asText())) {
          resources.put(resource.get("id").asText(), resource);
        }
      }
    }
    return resources;
  }

  private static String encounterOf(JsonNode resource) {
    return resource.path("encounter").path("reference").asText().replace("urn:uuid:", "");
  }

  private static Map<String, Integer> countByEncounter(
      Map<String, JsonNode> resources, java.util.function.Predicate<JsonNode> filter) {
    Map<String, Integer> counts = new HashMap<>();
    for (JsonNode resource : resources.values()) {
      if (filter.test(resource)) {
        counts.merge(encounterOf(resource), 1, Integer::sum);
      }
    }
    return counts;
  }
}
