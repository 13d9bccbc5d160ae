package io.vigil.transforms.records;

import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/** Helpers for the dead-letter collections that every Vigil source and writer produces. */
public final class DeadLetters {
  private DeadLetters() {}

  /** The schema coder of {@link DeadLetter} from the pipeline's schema registry (DeadLetter has a default schema). */
  public static Coder<DeadLetter> coder(Pipeline pipeline) {
    try {
      return pipeline.getSchemaRegistry().getSchemaCoder(DeadLetter.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException("DeadLetter has no schema; it is annotated @DefaultSchema", e);
    }
  }

  /**
   * Flattens dead-letter collections into one, applied as {@code name}, after setting the pipeline's
   * {@link #coder(Pipeline) DeadLetter coder} on each: Flink refuses to union collections whose coders are not equal,
   * and a collection's inferred coder need not equal the one of another.
   */
  public static PCollection<DeadLetter> flatten(String name, List<PCollection<DeadLetter>> deadLetters) {
    if (deadLetters == null || deadLetters.isEmpty()) {
      throw new IllegalArgumentException("at least one dead-letter collection must be given to " + name);
    }
    Pipeline pipeline = deadLetters.get(0).getPipeline();
    Coder<DeadLetter> coder = coder(pipeline);
    PCollectionList<DeadLetter> all = PCollectionList.empty(pipeline);
    for (PCollection<DeadLetter> collection : deadLetters) {
      all = all.and(collection.setCoder(coder));
    }
    return all.apply(name, Flatten.pCollections());
  }
}
