package io.tinko.launcher;

import io.tinko.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tinko} command. */
@Command(name = "tinko", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Tinko Recovery: failed-payment recovery gateway.",
    subcommands = {UpCommand.class, GatewayCommand.class, EngineCommand.class, MigrateCommand.class,
        EndpointCommand.class, AnalyticsCommand.class, BareCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Tinko implements Runnable {
  /** Exit code of a command that a later release delivers. */
  static final int NOT_AVAILABLE = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine cli = new CommandLine(new Tinko());
    cli.setExecutionExceptionHandler((ex, line, parsed) -> {
      line.getErr().println("tinko: " + oneLine(ex));
      return 1;
    });
    return cli.execute(args);
  }

  /** One readable line for an operator: configuration problems as they are, anything else with its type. */
  static String oneLine(Throwable ex) {
    Throwable t = ex;
    while (!(t instanceof ConfigException) && t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (!(t instanceof ConfigException)) {
      t = ex;
    }
    String msg = t.getMessage();
    if (t instanceof java.net.BindException || msg != null && msg.contains("Address already in use")) {
      return "the port is already in use (" + msg + "); set http.port or TINKO_HTTP_PORT";
    }
    if (t instanceof ConfigException) {
      return msg;
    }
    String first = msg == null ? "" : msg.lines().findFirst().orElse("");
    return t.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
  }
}
