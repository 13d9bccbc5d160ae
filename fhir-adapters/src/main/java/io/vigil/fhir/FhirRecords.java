package io.vigil.fhir;

import io.vigil.transforms.records.DeadLetter;
import io.vigil.transforms.records.Diabetes130;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.hl7.fhir.r4.model.Encounter;

/**
 * What every FHIR source produces: one record of {@link Diabetes130#SCHEMA} per Encounter, and a dead letter for each
 * input that could not become one, with the reason.
 */
public final class FhirRecords implements POutput {
  static final TupleTag<Row> RECORDS = new TupleTag<Row>() {};
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  private final Pipeline pipeline;
  private final PCollection<Row> records;
  private final PCollection<DeadLetter> deadLetters;

  private FhirRecords(Pipeline pipeline, PCollection<Row> records, PCollection<DeadLetter> deadLetters) {
    this.pipeline = pipeline;
    this.records = records;
    this.deadLetters = deadLetters;
  }

  /**
   * One dead-letter coder for the pipeline, set on every dead-letter collection before they are flattened: schema
   * coders built twice compare unequal (their row functions are distinct lambdas), and Flink refuses to union
   * collections whose coders differ.
   */
  static Coder<DeadLetter> deadLetterCoder(Pipeline pipeline) {
    try {
      return pipeline.getSchemaRegistry().getSchemaCoder(DeadLetter.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException("DeadLetter has no schema; it is annotated @DefaultSchema", e);
    }
  }

  /** Flattens dead-letter collections after giving them the same coder. */
  static PCollection<DeadLetter> flattenDeadLetters(String name, List<PCollection<DeadLetter>> deadLetters) {
    Coder<DeadLetter> coder = deadLetterCoder(deadLetters.get(0).getPipeline());
    PCollectionList<DeadLetter> all = PCollectionList.empty(deadLetters.get(0).getPipeline());
    for (PCollection<DeadLetter> collection : deadLetters) {
      all = all.and(collection.setCoder(coder));
    }
    return all.apply(name, Flatten.pCollections());
  }

  /** Wraps the two tagged outputs of a mapping step, setting the record schema. */
  static FhirRecords of(PCollectionTuple outputs) {
    PCollection<Row> records = outputs.get(RECORDS).setRowSchema(Diabetes130.SCHEMA);
    return new FhirRecords(outputs.getPipeline(), records, outputs.get(DEAD_LETTERS));
  }

  public PCollection<Row> records() {
    return records;
  }

  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(RECORDS, records, DEAD_LETTERS, deadLetters);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}

  /**
   * Maps the encounters of one patient's index to records, sending each encounter that cannot be mapped to the dead
   * letters. With {@code onlyEncounters} set, only those encounters are mapped (the others are history).
   */
  static void emitRecords(
      PatientResources resources, @Nullable Set<String> onlyEncounters, String source, DoFn.MultiOutputReceiver out) {
    EncounterRecordMapper mapper = MAPPER;
    int position = 0;
    for (Encounter encounter : resources.encounters()) {
      position++;
      String id = PatientResources.idOf(encounter);
      if (onlyEncounters != null && !onlyEncounters.contains(id)) {
        continue;
      }
      try {
        out.get(RECORDS).output(mapper.map(encounter, resources));
      } catch (RuntimeException e) {
        String location = id != null ? "Encounter/" + id : "Encounter #" + position + " of its patient";
        out.get(DEAD_LETTERS).output(DeadLetter.of(source, location, reasonOf(e), null));
      }
    }
  }

  private static final EncounterRecordMapper MAPPER = new EncounterRecordMapper();

  /** An exception's message in one line, with its type when the message alone would be unclear. */
  static String reasonOf(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName()
        : e instanceof UnmappableEncounterException ? e.getMessage()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
    return message.replace('\n', ' ');
  }
}
