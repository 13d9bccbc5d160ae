package io.vigil.fhir;

import ca.uhn.fhir.parser.IParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Encounters per second of the mapping on the 16 Synthea bundles, in one JVM: parsing + indexing + mapping, and the
 * mapping alone on indexes built beforehand. Run on purpose (surefire skips the tag):
 *
 * <pre>mvn -B -o -q -pl fhir-adapters -am test -Dtest=EncounterMappingBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dvigil.excludedGroups=none</pre>
 */
@Tag("benchmark")
class EncounterMappingBenchmark {
  private static final int ROUNDS = 20;

  @Test
  void encountersPerSecond() throws Exception {
    List<String> contents = new ArrayList<>();
    for (Path bundle : SyntheaFiles.bundles()) {
      contents.add(Files.readString(bundle));
    }
    EncounterRecordMapper mapper = new EncounterRecordMapper();
    List<PatientResources> indexes = parseAndIndex(contents);
    mapAll(indexes, mapper); // warm-up: class loading, JIT, the context's model scan

    long parseStart = System.nanoTime();
    int parsedEncounters = 0;
    for (int round = 0; round < ROUNDS; round++) {
      parsedEncounters += mapAll(parseAndIndex(contents), mapper);
    }
    double parseSeconds = (System.nanoTime() - parseStart) / 1e9;

    long mapStart = System.nanoTime();
    int mappedEncounters = 0;
    for (int round = 0; round < ROUNDS; round++) {
      mappedEncounters += mapAll(indexes, mapper);
    }
    double mapSeconds = (System.nanoTime() - mapStart) / 1e9;

    System.out.printf("encounters per round: %d (16 Synthea bundles, %d rounds)%n", mappedEncounters / ROUNDS, ROUNDS);
    System.out.printf("parse + index + map: %.0f encounters/s%n", parsedEncounters / parseSeconds);
    System.out.printf("map only (indexes prebuilt): %.0f encounters/s%n", mappedEncounters / mapSeconds);
  }

  private static List<PatientResources> parseAndIndex(List<String> contents) {
    List<PatientResources> indexes = new ArrayList<>();
    for (String content : contents) {
      IParser parser = FhirContexts.strictJsonParser();
      parser.setOverrideResourceIdWithBundleEntryFullUrl(false);
      Bundle bundle = parser.parseResource(Bundle.class, content);
      PatientResources.Builder builder = PatientResources.builder();
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        builder.add(entry.getResource());
      }
      indexes.add(builder.build());
    }
    return indexes;
  }

  private static int mapAll(List<PatientResources> indexes, EncounterRecordMapper mapper) {
    int count = 0;
    for (PatientResources index : indexes) {
      for (Encounter encounter : index.encounters()) {
        Row row = mapper.map(encounter, index);
        count += row == null ? 0 : 1;
      }
    }
    return count;
  }
}
