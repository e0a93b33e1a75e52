package io.tinko.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "analytics", mixinStandardHelpOptions = true,
    description = "Build the recovery analytics rollups (batch job). Not available in this release yet.")
final class AnalyticsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("tinko analytics: not available yet (the analytics batch job ships in a later release)");
    return Tinko.NOT_AVAILABLE;
  }
}
