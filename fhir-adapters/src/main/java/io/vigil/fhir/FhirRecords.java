package io.vigil.fhir;

import io.vigil.transforms.records.DeadLetter;
import io.vigil.transforms.records.Diabetes130;
import io.vigil.transforms.records.WithDeadLetters;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.hl7.fhir.r4.model.Encounter;

/**
 * What every FHIR source produces: one record of {@link Diabetes130#SCHEMA} per Encounter, and a dead letter for each
 * input that could not become one, with the reason.
 */
public final class FhirRecords extends WithDeadLetters<Row> {
  static final TupleTag<Row> RECORDS = new TupleTag<Row>() {};
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};
  private static final EncounterRecordMapper MAPPER = new EncounterRecordMapper();

  private FhirRecords(PCollection<Row> records, PCollection<DeadLetter> deadLetters) {
    super(RECORDS, records, DEAD_LETTERS, deadLetters);
  }

  /** Wraps the two tagged outputs of a mapping step, setting the record schema. */
  static FhirRecords of(PCollectionTuple outputs) {
    PCollection<Row> records = outputs.get(RECORDS).setRowSchema(Diabetes130.SCHEMA);
    return new FhirRecords(records, outputs.get(DEAD_LETTERS));
  }

  /**
   * Maps the encounters of one patient's index to records, sending each encounter that cannot be mapped to the dead
   * letters. With {@code onlyEncounters} set, only those encounters are mapped (the others are history).
   */
  static void emitRecords(
      PatientResources resources, @Nullable Set<String> onlyEncounters, String source, DoFn.MultiOutputReceiver out) {
    int position = 0;
    for (Encounter encounter : resources.encounters()) {
      position++;
      String id = PatientResources.idOf(encounter);
      if (onlyEncounters != null && !onlyEncounters.contains(id)) {
        continue;
      }
      try {
        out.get(RECORDS).output(MAPPER.map(encounter, resources));
      } catch (RuntimeException e) {
        String location = id != null ? "Encounter/" + id : "Encounter #" + position + " of its patient";
        out.get(DEAD_LETTERS).output(DeadLetter.of(source, location, reasonOf(e), null));
      }
    }
  }

  /** An exception's message in one line, with its type when the message alone would be unclear. */
  static String reasonOf(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName()
        : e instanceof UnmappableEncounterException ? e.getMessage()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
    return message.replace('\n', ' ');
  }
}
