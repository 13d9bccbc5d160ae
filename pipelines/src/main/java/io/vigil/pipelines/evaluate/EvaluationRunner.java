package io.vigil.pipelines.evaluate;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Creates and runs the evaluation's Beam pipelines on Flink's embedded {@code [local]} cluster in this JVM (results
 * come back through {@link LocalCollector}), with the given parallelism.
 */
public final class EvaluationRunner {
  private final int parallelism;

  private EvaluationRunner(int parallelism) {
    this.parallelism = parallelism;
  }

  public static EvaluationRunner embeddedFlink(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be positive, got " + parallelism);
    }
    return new EvaluationRunner(parallelism);
  }

  public Pipeline newPipeline() {
    List<String> args = new ArrayList<>(List.of("--flinkMaster=[local]", "--parallelism=" + parallelism));
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).create();
    options.setRunner(FlinkRunner.class);
    options.as(FlinkPipelineOptions.class).setAttachedMode(true);
    return Pipeline.create(options);
  }

  /** Runs to completion; a failed pipeline is an exception. */
  public void run(Pipeline pipeline) {
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("evaluation pipeline ended " + state);
    }
  }
}
