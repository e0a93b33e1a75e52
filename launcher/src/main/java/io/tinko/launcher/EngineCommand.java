package io.tinko.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "engine", mixinStandardHelpOptions = true,
    description = {"Run an engine process on the Hazelcast-clustered event bus: processes inbound events,",
        "re-dispatches the ones left unprocessed, schedules and executes recoveries."})
final class EngineCommand implements Callable<Integer> {
  @Mixin
  Settings settings;

  @Mixin
  ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    return ServerRun.run(cluster.apply(settings.load(true)), "engine", false, true, false, true);
  }
}
