package io.vigil.pipelines.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * What every pipeline-running subcommand shares: the Beam/Flink options. {@code --runner}, {@code --flinkMaster} and
 * {@code --parallelism} are named here for {@code --help}; any other {@code --name=value} is handed to Beam's
 * {@link PipelineOptionsFactory} as is (so every {@link FlinkPipelineOptions} option works), and an option neither
 * Vigil nor Beam knows is an error naming it.
 */
abstract class PipelineCommand {
  @Spec
  CommandSpec spec;

  @Option(names = "--runner", defaultValue = "FlinkRunner", description = "Beam runner (default: ${DEFAULT-VALUE}).")
  String runner;

  @Option(names = "--flinkMaster", defaultValue = "[local]",
      description = "Flink master: [local] for an embedded cluster in this JVM (default), or host:port of a cluster.")
  String flinkMaster;

  @Option(names = "--parallelism", defaultValue = "-1",
      description = "Flink parallelism (default: the cluster's; on [local], the number of cores).")
  int parallelism;

  @Unmatched
  List<String> beamArguments = new ArrayList<>();

  /** The Beam options of this run; {@code defaultParallelism} applies when {@code --parallelism} is not given. */
  FlinkPipelineOptions pipelineOptions(int defaultParallelism) {
    List<String> arguments = new ArrayList<>();
    arguments.add("--runner=" + runner);
    arguments.add("--flinkMaster=" + flinkMaster);
    int effective = parallelism > 0 ? parallelism : defaultParallelism;
    if (effective > 0) {
      arguments.add("--parallelism=" + effective);
    }
    for (String argument : beamArguments) {
      if (!argument.startsWith("--")) {
        throw new ParameterException(spec.commandLine(), "unexpected argument '" + argument + "' (options are "
            + "--name=value; see 'vigil " + spec.name() + " --help')");
      }
      arguments.add(argument);
    }
    try {
      return PipelineOptionsFactory.fromArgs(arguments.toArray(String[]::new)).withValidation()
          .as(FlinkPipelineOptions.class);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "unknown or invalid option among " + beamArguments
          + ": it is neither a vigil option (see 'vigil " + spec.name() + " --help') nor a Beam/Flink pipeline "
          + "option accepted by Beam: " + e.getMessage());
    }
  }

  /** Fails with a usage error unless {@code pathOrGlob} is a glob, or names an existing readable file. */
  void requireReadableInput(String option, String pathOrGlob) {
    String file = pathOrGlob;
    int zipMark = pathOrGlob.toLowerCase(Locale.ROOT).lastIndexOf(".zip!");
    if (zipMark >= 0) {
      file = pathOrGlob.substring(0, zipMark + 4);
    }
    if (file.contains("*") || file.contains("?") || file.contains("[") || file.contains("://")) {
      return;
    }
    Path path = Paths.get(file);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new ParameterException(spec.commandLine(), option + ": no readable file at " + path.toAbsolutePath());
    }
  }
}
