package io.vigil.transforms.records;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The output of a transform that turns inputs into records of type {@code T} and sends each input it cannot turn into
 * one to a dead-letter collection, with the reason. A transform's own result class extends this one, so that it keeps
 * its name (and may name its records after what they are, e.g. {@code features()}).
 *
 * @param <T> the type of the records
 */
public abstract class WithDeadLetters<T> implements POutput {
  private final TupleTag<T> recordsTag;
  private final PCollection<T> records;
  private final TupleTag<DeadLetter> deadLettersTag;
  private final PCollection<DeadLetter> deadLetters;

  /** The tags are the ones the collections were produced under, so that {@link #expand()} names them as they were. */
  protected WithDeadLetters(TupleTag<T> recordsTag, PCollection<T> records, TupleTag<DeadLetter> deadLettersTag,
      PCollection<DeadLetter> deadLetters) {
    this.recordsTag = recordsTag;
    this.records = records;
    this.deadLettersTag = deadLettersTag;
    this.deadLetters = deadLetters;
  }

  /** The records the transform produced. */
  public PCollection<T> records() {
    return records;
  }

  /** One for each input that did not become a record: where it came from, where in it, and why. */
  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  @Override
  public Pipeline getPipeline() {
    return records.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(recordsTag, records, deadLettersTag, deadLetters);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
