package io.vigil.transforms.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.transforms.csv.CollectedOutput;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLettersTest {
  @TempDir
  Path dir;

  /**
   * Dead-letter collections from different sources are flattened together, and Flink refuses to union collections
   * whose coders are not equal: the schema coders of DeadLetter must compare equal however often they are built.
   */
  @Test
  void schemaCodersOfDeadLettersAreEqualAndRoundTrip() throws Exception {
    Coder<DeadLetter> first = DeadLetters.coder(Pipeline.create());
    Coder<DeadLetter> second = DeadLetters.coder(Pipeline.create());
    DeadLetter letter = DeadLetter.of("a.csv", "line 3", "expected 4 fields, found 3", null);

    assertThat(first).isEqualTo(second);
    assertThat(CoderUtils.clone(first, letter)).isEqualTo(letter);
  }

  @Test
  void flattenKeepsEveryDeadLetterOfEveryCollectionUnderThePipelinesCoder() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    Coder<DeadLetter> coder = DeadLetters.coder(pipeline);
    PCollection<DeadLetter> fromFiles = pipeline.apply("FromFiles", Create.of(
        DeadLetter.of("a.csv", "line 2", "bad number", "x"),
        DeadLetter.of("a.csv", "line 5", "too few fields", null)).withCoder(coder));
    PCollection<DeadLetter> fromServer = pipeline.apply("FromServer", Create.of(
        DeadLetter.of("http://fhir", "Encounter/7", "no subject", null)).withCoder(coder));

    PCollection<DeadLetter> all = DeadLetters.flatten("AllDeadLetters", List.of(fromFiles, fromServer));
    CollectedOutput.writeTo(all.apply(MapElements.into(TypeDescriptors.strings())
        .via((DeadLetter d) -> d.source() + "|" + d.location())), dir, "dead");
    pipeline.run().waitUntilFinish();

    assertThat(all.getCoder()).isEqualTo(coder);
    assertThat(CollectedOutput.read(dir, "dead"))
        .containsExactlyInAnyOrder("a.csv|line 2", "a.csv|line 5", "http://fhir|Encounter/7");
  }

  @Test
  void flattenOfNoCollectionsSaysWhichStepHadNone() {
    assertThatThrownBy(() -> DeadLetters.flatten("AllDeadLetters", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AllDeadLetters");
  }
}
