package io.tinko.launcher;

import io.tinko.common.config.TinkoConfig;
import io.vertx.core.json.JsonArray;
import java.util.List;
import picocli.CommandLine.Option;

/** Command-line overrides of the cluster.* settings. */
final class ClusterOptions {
  @Option(names = "--cluster-host", description = "Address this member binds and announces (cluster.host).")
  String host;

  @Option(names = "--cluster-port", description = "Hazelcast port; the next free one is taken if busy (cluster.port).")
  Integer port;

  @Option(names = "--members", split = ",", paramLabel = "HOST:PORT",
      description = "Members to join, comma-separated (cluster.members).")
  List<String> members;

  TinkoConfig apply(TinkoConfig config) {
    TinkoConfig c = config;
    if (host != null) {
      c = c.with("cluster.host", host);
    }
    if (port != null) {
      c = c.with("cluster.port", port);
    }
    if (members != null && !members.isEmpty()) {
      c = c.with("cluster.members", new JsonArray(List.copyOf(members)));
    }
    return c;
  }
}
