package io.tinko.launcher;

import io.tinko.common.config.TinkoConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Run the gateway and the engine in one process on the local event bus.",
        "Postgres, Redis and SMTP that are not configured are started embedded (data under .tinko/)."})
final class UpCommand implements Callable<Integer> {
  @Mixin
  Settings settings;

  @Option(names = {"-p", "--port"}, description = "HTTP port (default: http.port, 8080).")
  Integer port;

  @Override
  public Integer call() throws Exception {
    TinkoConfig config = settings.load(true);
    if (port != null) {
      config = config.with("http.port", port);
    }
    return ServerRun.run(config, "up", true, false, true, true);
  }
}
