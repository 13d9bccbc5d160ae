package io.vigil.transforms;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Pipeline options for the Flink runner on an embedded, in-process cluster, for tests and benchmarks. */
public final class EmbeddedFlink {
  private EmbeddedFlink() {}

  public static FlinkPipelineOptions options(int parallelism) {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(parallelism);
    return options;
  }
}
