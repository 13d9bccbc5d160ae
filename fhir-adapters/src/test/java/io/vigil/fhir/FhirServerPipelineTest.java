package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.vigil.transforms.records.AnomalyResult;
import io.vigil.transforms.records.DeadLetter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReadFhirServer} and {@link WriteRiskAssessments} against a live HAPI server loaded with the 16 Synthea
 * bundles, in one embedded-Flink pipeline: a full read paging 20 resources at a time (with 429, 502 and 503 answers injected),
 * an incremental read, the same bundles read from files for comparison, and verdicts written back and read back.
 */
class FhirServerPipelineTest {
  private static final int PAGE_SIZE = 20;
  private static final Date LOADED = Date.from(Instant.parse("2024-01-01T00:00:00Z"));
  private static final Instant CHANGES_SINCE = Instant.parse("2025-01-01T00:00:00Z");
  private static final String MODEL = "model-under-test";

  @TempDir
  static Path work;

  private static InMemoryFhirServer server;
  private static List<String> changedEncounters;
  private static Map<String, Map<String, String>> serverRecords;
  private static Map<String, Map<String, String>> changedRecords;
  private static Map<String, Map<String, String>> fileRecords;
  private static List<String> deadLetters;
  private static List<String> sinkDeadLetters;

  @BeforeAll
  static void runPipeline() throws Exception {
    server = new InMemoryFhirServer(PAGE_SIZE);
    server.load(SyntheaFiles.bundles(), LOADED);
    changedEncounters = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : server.provider("Encounter").search(null, null, null).stream()
        .limit(5).map(r -> new Bundle.BundleEntryComponent().setResource((Encounter) r)).collect(Collectors.toList())) {
      entry.getResource().getMeta().setLastUpdated(Date.from(CHANGES_SINCE.plus(Duration.ofDays(30))));
      changedEncounters.add(entry.getResource().getIdPart());
    }
    // both Encounter searches (full and incremental) meet a 429 first, a patient fetch a 503, a next page a 502
    server.failNext(RestOperationTypeEnum.SEARCH_TYPE, "Encounter", 429);
    server.failNext(RestOperationTypeEnum.SEARCH_TYPE, "Encounter", 429);
    server.failNext(RestOperationTypeEnum.SEARCH_TYPE, "Observation", 503);
    server.failNext(RestOperationTypeEnum.GET_PAGE, null, 502);

    FhirServer fhir = FhirServer.at(server.baseUrl()).withBearerToken("test-token")
        .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    Path out = work.resolve("out");
    Pipeline pipeline = FlinkTestPipelines.create();
    FhirRecords all = pipeline.apply("ReadAll",
        ReadFhirServer.from(fhir).withPageSize(PAGE_SIZE).withPatientBatchSize(5));
    FhirRecords changed = pipeline.apply("ReadChanged",
        ReadFhirServer.from(fhir).withPageSize(50).withUpdatedSince(CHANGES_SINCE));
    FhirRecords files = pipeline.apply("ReadFiles", ReadFhirFiles.bundles(SyntheaFiles.directory() + "/*.json"));
    FlinkTestPipelines.collectRecords(all.records(), out, "serverRecords");
    FlinkTestPipelines.collectRecords(changed.records(), out, "changedRecords");
    FlinkTestPipelines.collectRecords(files.records(), out, "fileRecords");
    FlinkTestPipelines.collect(describe(FhirRecords.flattenDeadLetters("AllReadDeadLetters",
        List.of(all.deadLetters(), changed.deadLetters(), files.deadLetters())), "Read"), out, "deadLetters");

    // one coder for both inputs of the Flatten: Flink refuses to union collections whose coders differ
    Coder<AnomalyResult> verdictCoder = pipeline.getSchemaRegistry().getSchemaCoder(AnomalyResult.class);
    PCollection<AnomalyResult> verdicts = PCollectionList.of(all.records()
            .apply("Score", MapElements.into(TypeDescriptor.of(AnomalyResult.class))
                .via(FhirServerPipelineTest::verdict)).setCoder(verdictCoder))
        .and(pipeline.apply("Stray", Create.of(List.of(AnomalyResult.builder().setRecordId("no-such-encounter")
            .setScore(1).setThreshold(0).setAnomaly(false).setModelVersion(MODEL).build())).withCoder(verdictCoder)))
        .apply("AllVerdicts", Flatten.pCollections());
    WriteRiskAssessments.Result written = verdicts.apply("WriteBack", WriteRiskAssessments
        .to(out.resolve("fhir-").toString()).withSourceRecords(all.records()).withFlags().withServer(fhir)
        .withBatchSize(40));
    FlinkTestPipelines.collect(describe(written.deadLetters(), "Sink"), out, "sinkDeadLetters");
    pipeline.run().waitUntilFinish();

    serverRecords = FlinkTestPipelines.readRecords(out, "serverRecords");
    changedRecords = FlinkTestPipelines.readRecords(out, "changedRecords");
    fileRecords = FlinkTestPipelines.readRecords(out, "fileRecords");
    deadLetters = FlinkTestPipelines.readLines(out, "deadLetters");
    sinkDeadLetters = FlinkTestPipelines.readLines(out, "sinkDeadLetters");
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  /** A stand-in for the critic: many lab results make an anomaly. */
  private static AnomalyResult verdict(Row record) {
    double labs = record.getDouble("num_lab_procedures");
    return AnomalyResult.builder().setRecordId(record.getString("encounter_id")).setScore(-labs).setThreshold(-20)
        .setAnomaly(-labs < -20).setModelVersion(MODEL).setExplanationColumns(List.of("num_lab_procedures"))
        .setExplanationContributions(List.of(-labs / 10)).build();
  }

  private static PCollection<String> describe(PCollection<DeadLetter> deadLetters, String name) {
    return deadLetters.apply("Describe" + name, MapElements.into(TypeDescriptors.strings())
        .via(d -> d.source() + " | " + d.location() + " | " + d.reason()));
  }

  @Test
  void fullReadPagesThroughTheServerAndMatchesTheFiles() {
    assertThat(serverRecords).hasSize(SyntheaFiles.ENCOUNTERS);
    assertThat(serverRecords).isEqualTo(fileRecords);
    assertThat(deadLetters).isEmpty();
    assertThat(server.requests(RestOperationTypeEnum.GET_PAGE))
        .as("next-page requests: 283 encounters at 20 per page alone need 14")
        .isGreaterThanOrEqualTo(SyntheaFiles.ENCOUNTERS / PAGE_SIZE);
  }

  @Test
  void injectedFailuresWereRetried() {
    assertThat(server.injectedFailuresLeft()).isZero();
  }

  @Test
  void incrementalReadMapsOnlyTheChangedEncountersWithTheirFullHistory() {
    assertThat(changedRecords.keySet()).containsExactlyInAnyOrderElementsOf(changedEncounters);
    for (String encounter : changedEncounters) {
      assertThat(changedRecords.get(encounter)).isEqualTo(serverRecords.get(encounter));
    }
  }

  @Test
  void riskAssessmentsAreWrittenAsNdjsonAndToTheServer() throws Exception {
    long anomalies = serverRecords.values().stream()
        .filter(r -> Double.parseDouble(r.get("num_lab_procedures")) > 20).count();
    assertThat(anomalies).isPositive();
    assertThat(ndjsonLines("fhir-RiskAssessment")).hasSize(SyntheaFiles.ENCOUNTERS);
    assertThat(ndjsonLines("fhir-Flag")).hasSize((int) anomalies);
    assertThat(sinkDeadLetters).singleElement().asString()
        .contains("Encounter/no-such-encounter").contains("no source record");

    IGenericClient client = FhirContexts.r4().newRestfulGenericClient(server.baseUrl());
    List<RiskAssessment> readBack = new ArrayList<>();
    Bundle page = client.search().forResource(RiskAssessment.class).count(50).returnBundle(Bundle.class).execute();
    while (true) {
      page.getEntry().forEach(e -> readBack.add((RiskAssessment) e.getResource()));
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        break;
      }
      page = client.loadPage().next(page).execute();
    }
    assertThat(readBack).hasSize(SyntheaFiles.ENCOUNTERS);
    Map<String, RiskAssessment> byEncounter = new HashMap<>();
    readBack.forEach(r -> byEncounter.put(ResourceReferences.logicalId(r.getEncounter()), r));
    assertThat(byEncounter.keySet()).isEqualTo(serverRecords.keySet());
    for (Map.Entry<String, RiskAssessment> assessment : byEncounter.entrySet()) {
      Map<String, String> record = serverRecords.get(assessment.getKey());
      assertThat(assessment.getValue().getSubject().getReference()).isEqualTo("Patient/" + record.get("patient_nbr"));
      boolean anomaly = Double.parseDouble(record.get("num_lab_procedures")) > 20;
      assertThat(assessment.getValue().getPredictionFirstRep().getOutcome().getCodingFirstRep().getCode())
          .isEqualTo(anomaly ? "anomalous" : "typical");
      assertThat(assessment.getValue().getMethod().getCodingFirstRep().getCode()).isEqualTo(MODEL);
    }
    assertThat(server.provider("Flag").size()).isEqualTo((int) anomalies);
    readBack.stream().limit(10).forEach(r -> assertThat(R4Validation.errors(r)).as(r.getIdPart()).isEmpty());
  }

  private static List<String> ndjsonLines(String prefix) throws Exception {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(work.resolve("out"))) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix + "-")
          && f.getFileName().toString().endsWith(".ndjson")).collect(Collectors.toList())) {
        lines.addAll(Files.readAllLines(file));
      }
    }
    return lines;
  }
}
