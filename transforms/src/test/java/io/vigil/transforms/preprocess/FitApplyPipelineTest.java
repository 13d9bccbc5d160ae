package io.vigil.transforms.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.transforms.csv.CollectedOutput;
import io.vigil.transforms.records.DeadLetter;
import io.vigil.transforms.records.FeatureVector;
import io.vigil.transforms.split.SplitDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Fit, apply and split as Beam transforms on the direct runner agree with the in-memory encoding. */
class FitApplyPipelineTest {
  @TempDir
  Path dir;

  private static String show(FeatureVector features) {
    return features.id() + "|" + Arrays.toString(features.values()) + "|" + features.unseenCategories() + "|"
        + features.outOfRangeColumns();
  }

  @ParameterizedTest
  @EnumSource(PreprocessingOptions.NumericScaling.class)
  void fitsInOnePassAndEncodesThroughASideInputOrAFile(PreprocessingOptions.NumericScaling scaling) {
    List<Row> table = PreprocessingArtifactTest.table();
    PreprocessingOptions options = PreprocessingOptions.recommended().withMinFrequency(3).withNumericScaling(scaling);
    PreprocessingArtifact expected = FitPreprocessing.fitInMemory(PreprocessingArtifactTest.SPEC, options, table);
    Path artifactFile = dir.resolve("preprocessing.json");
    expected.save(artifactFile);
    List<Row> toScore = new ArrayList<>(table);
    toScore.add(PreprocessingArtifactTest.row("new", "ICU", 80.0, null, 3.0, "NO"));
    toScore.add(PreprocessingArtifactTest.row(null, "b", 4.0, null, 3.0, "NO"));

    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> records = pipeline.apply("Table", Create.of(table)
        .withCoder(SchemaCoder.of(PreprocessingArtifactTest.SPEC.schema())));
    PCollection<Row> scored = pipeline.apply("ToScore", Create.of(toScore)
        .withCoder(SchemaCoder.of(PreprocessingArtifactTest.SPEC.schema())));
    PCollection<PreprocessingArtifact> fitted = records
        .apply(FitPreprocessing.of(PreprocessingArtifactTest.SPEC).withOptions(options));
    PCollectionView<PreprocessingArtifact> view = fitted.apply(View.asSingleton());
    ApplyPreprocessing.Result viaView = scored.apply("ViaView", ApplyPreprocessing.withArtifact(view));
    ApplyPreprocessing.Result viaFile = scored.apply("ViaFile",
        ApplyPreprocessing.withArtifactPath(artifactFile.toString()));
    CollectedOutput.writeTo(fitted.apply(MapElements.into(TypeDescriptors.strings())
        .via(PreprocessingArtifact::fingerprint)), dir, "fingerprint");
    CollectedOutput.writeTo(viaView.features().apply("ShowView", MapElements.into(TypeDescriptors.strings())
        .via(FitApplyPipelineTest::show)), dir, "view");
    CollectedOutput.writeTo(viaFile.features().apply("ShowFile", MapElements.into(TypeDescriptors.strings())
        .via(FitApplyPipelineTest::show)), dir, "file");
    CollectedOutput.writeTo(viaFile.deadLetters().apply(MapElements.into(TypeDescriptors.strings())
        .via(DeadLetter::reason)), dir, "dead");
    pipeline.run().waitUntilFinish();

    assertThat(CollectedOutput.read(dir, "fingerprint")).containsExactly(expected.fingerprint());
    assertThat(expected.options().numericScaling()).isEqualTo(scaling);
    List<String> expectedFeatures = new ArrayList<>();
    for (Row row : toScore.subList(0, toScore.size() - 1)) {
      expectedFeatures.add(show(expected.encode(row)));
    }
    assertThat(CollectedOutput.read(dir, "view")).containsExactlyInAnyOrderElementsOf(expectedFeatures);
    assertThat(CollectedOutput.read(dir, "file")).containsExactlyInAnyOrderElementsOf(expectedFeatures);
    assertThat(CollectedOutput.read(dir, "file")).anySatisfy(line -> assertThat(line)
        .startsWith("new|").endsWith("|[ward=ICU]|[dose]"));
    assertThat(CollectedOutput.read(dir, "dead")).containsExactly(
        "record has no identifier: column 'id' is null");
  }

  @Test
  void splitsDeterministicallyByIdOnRowsAndFeatureVectors() {
    List<Row> rows = new ArrayList<>();
    List<FeatureVector> vectors = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      rows.add(PreprocessingArtifactTest.row("e" + i, "b", 1.0, null, 1.0, "NO"));
      vectors.add(FeatureVector.of("e" + i, new float[] {i}));
    }
    SplitDataset<Row> rowSplit = SplitDataset.<Row>of(0.7, 0.15, 0.15).withSeed(7).withIdField("id");
    SplitDataset<FeatureVector> vectorSplit = SplitDataset.<FeatureVector>of(0.7, 0.15, 0.15).withSeed(7);

    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    SplitDataset.Result<Row> rowSets = pipeline
        .apply("Rows", Create.of(rows).withCoder(SchemaCoder.of(PreprocessingArtifactTest.SPEC.schema())))
        .apply("SplitRows", rowSplit);
    SplitDataset.Result<FeatureVector> vectorSets = pipeline
        .apply("Vectors", Create.of(vectors).withCoder(FeatureVector.Coder.of()))
        .apply("SplitVectors", vectorSplit);
    CollectedOutput.writeTo(rowSets.train().apply("RowTrain", MapElements.into(TypeDescriptors.strings())
        .via(row -> row.getString("id"))), dir, "rowTrain");
    CollectedOutput.writeTo(rowSets.test().apply("RowTest", MapElements.into(TypeDescriptors.strings())
        .via(row -> row.getString("id"))), dir, "rowTest");
    CollectedOutput.writeTo(vectorSets.train().apply("VectorTrain", MapElements.into(TypeDescriptors.strings())
        .via(FeatureVector::id)), dir, "vectorTrain");
    CollectedOutput.writeTo(vectorSets.validation().apply("VectorValidation", MapElements
        .into(TypeDescriptors.strings()).via(FeatureVector::id)), dir, "vectorValidation");
    CollectedOutput.writeTo(vectorSets.test().apply("VectorTest", MapElements.into(TypeDescriptors.strings())
        .via(FeatureVector::id)), dir, "vectorTest");
    pipeline.run().waitUntilFinish();

    Set<String> train = new HashSet<>();
    Set<String> test = new HashSet<>();
    for (int i = 0; i < 400; i++) {
      SplitDataset.Subset subset = vectorSplit.assign("e" + i);
      (subset == SplitDataset.Subset.TRAIN ? train : subset == SplitDataset.Subset.TEST ? test : new HashSet<String>())
          .add("e" + i);
    }
    assertThat(CollectedOutput.read(dir, "vectorTrain")).containsExactlyInAnyOrderElementsOf(train);
    assertThat(CollectedOutput.read(dir, "rowTrain")).containsExactlyInAnyOrderElementsOf(train);
    assertThat(CollectedOutput.read(dir, "rowTest")).containsExactlyInAnyOrderElementsOf(test);
    assertThat(CollectedOutput.read(dir, "vectorTrain").size() + CollectedOutput.read(dir, "vectorValidation").size()
        + CollectedOutput.read(dir, "vectorTest").size()).isEqualTo(400);
    // 280 expected in train; a binomial standard deviation is about 9.
    assertThat(train.size()).isBetween(240, 320);
    assertThat(SplitDataset.<Row>of(0.7, 0.15, 0.15).withSeed(8).assign("e1"))
        .as("the seed matters").isNotNull();
  }
}
