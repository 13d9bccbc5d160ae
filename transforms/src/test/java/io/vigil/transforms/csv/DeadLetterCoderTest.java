package io.vigil.transforms.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.transforms.records.DeadLetter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * Dead-letter collections from different sources are flattened together, and Flink refuses to union collections
 * whose coders are not equal: the schema coders of DeadLetter must compare equal however often they are built.
 */
class DeadLetterCoderTest {
  @Test
  void schemaCodersOfDeadLettersAreEqualAndRoundTrip() throws Exception {
    Coder<DeadLetter> first = Pipeline.create().getSchemaRegistry().getSchemaCoder(DeadLetter.class);
    Coder<DeadLetter> second = Pipeline.create().getSchemaRegistry().getSchemaCoder(DeadLetter.class);
    DeadLetter letter = DeadLetter.of("a.csv", "line 3", "expected 4 fields, found 3", null);

    assertThat(first).isEqualTo(second);
    assertThat(CoderUtils.clone(first, letter)).isEqualTo(letter);
  }
}
