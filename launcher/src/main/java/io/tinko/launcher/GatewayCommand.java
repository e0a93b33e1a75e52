package io.tinko.launcher;

import io.tinko.common.config.TinkoConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = {"Run a gateway process (webhooks, merchant API) on the Hazelcast-clustered event bus.",
        "Events are handed to whichever engine process of the cluster takes them."})
final class GatewayCommand implements Callable<Integer> {
  @Mixin
  Settings settings;

  @Mixin
  ClusterOptions cluster;

  @Option(names = {"-p", "--port"}, description = "HTTP port (default: http.port, 8080).")
  Integer port;

  @Override
  public Integer call() throws Exception {
    TinkoConfig config = cluster.apply(settings.load(true));
    if (port != null) {
      config = config.with("http.port", port);
    }
    return ServerRun.run(config, "gateway", false, true, true, false);
  }
}
