package io.vigil.pipelines.cli;

import java.util.LinkedHashSet;
import java.util.Set;
import io.vigil.pipelines.evaluate.EvaluateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command line: {@code demo}, {@code train}, {@code score}. */
@Command(name = "vigil", mixinStandardHelpOptions = true, version = "vigil 0.1.0",
    description = "Finds anomalous clinical records with the critic of a WGAN-GP, as Apache Beam pipelines on Flink.",
    subcommands = {DemoCommand.class, TrainCommand.class, ScoreCommand.class, EvaluateCommand.class,
        CommandLine.HelpCommand.class})
public final class VigilCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: demo, train or score");
  }

  /** The configured command line (case-insensitive enum values, errors as one clear line). */
  public static CommandLine commandLine() {
    return new CommandLine(new VigilCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
          commandLine.getErr().println("vigil " + commandLine.getCommandName() + ": error: " + messages(exception));
          if (Boolean.getBoolean("vigil.debug")) {
            exception.printStackTrace(commandLine.getErr());
          } else {
            commandLine.getErr().println("(run with VIGIL_DEBUG=1 for the stack trace)");
          }
          return 1;
        });
  }

  /** The distinct messages down the cause chain: Beam and Flink wrap the exception that says what went wrong. */
  static String messages(Throwable exception) {
    Set<String> messages = new LinkedHashSet<>();
    for (Throwable t = exception; t != null && t.getCause() != t; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        messages.add(t.getMessage().strip());
      }
    }
    if (messages.isEmpty()) {
      return exception.getClass().getName();
    }
    StringBuilder text = new StringBuilder();
    String previous = null;
    for (String message : messages) {
      if (previous == null || !previous.contains(message)) {
        text.append(text.length() == 0 ? "" : "\n  caused by: ").append(message);
      }
      previous = message;
    }
    return text.toString();
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
