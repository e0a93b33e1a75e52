package io.tinko.launcher;

import io.tinko.common.config.ConfigLoader;
import io.tinko.common.config.TinkoConfig;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** Options every command shares: where the configuration is and how to log. */
final class Settings {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Configuration file (default: $TINKO_CONFIG, else conf/tinko.yaml when it exists).")
  Path config;

  @Option(names = "--log-format", paramLabel = "json|text",
      description = "Log lines as JSON objects (default for servers) or as text for humans.")
  String logFormat;

  /**
   * Loads the configuration through vertx-config (blocking; before the real Vert.x instance exists)
   * and sets up logging.
   */
  TinkoConfig load(boolean server) throws Exception {
    Logging.configure(logFormat != null ? logFormat : "text", System.getenv("TINKO_LOGGING_LEVEL"));
    Path file = config;
    if (file == null && System.getenv("TINKO_CONFIG") != null) {
      file = Path.of(System.getenv("TINKO_CONFIG"));
    }
    if (file == null && Files.isRegularFile(Path.of("conf", "tinko.yaml"))) {
      file = Path.of("conf", "tinko.yaml");
    }
    Vertx vertx = Vertx.vertx();
    try {
      TinkoConfig loaded = ConfigLoader.load(vertx, file, System.getenv()).await(30, TimeUnit.SECONDS);
      // servers log JSON lines unless told otherwise; one-shot commands talk to a person
      String format = logFormat != null ? logFormat : server ? loaded.string("logging.format") : "text";
      Logging.configure(format, loaded.string("logging.level"));
      return loaded;
    } finally {
      vertx.close();
    }
  }
}
