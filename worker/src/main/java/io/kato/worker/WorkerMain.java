package io.kato.worker;

import io.kato.worker.replay.EngineReplayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the worker jar. Sub-commands: {@code worker} (the gRPC worker process) and
 * {@code engine-replay} (runs golden-format cases through the engine).
 */
@Command(
    name = "kato-worker",
    mixinStandardHelpOptions = true,
    version = "kato-worker " + WorkerMain.VERSION,
    description = "KATO worker JVM tools.",
    subcommands = {WorkerCommand.class, EngineReplayCommand.class})
public final class WorkerMain implements Runnable {
  /** The worker build's version, as registered with a gateway. */
  public static final String VERSION = "0.1.0";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a sub-command is required");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new WorkerMain()).execute(args));
  }
}
