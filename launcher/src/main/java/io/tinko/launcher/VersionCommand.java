package io.tinko.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the Tinko version.")
final class VersionCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.println("tinko " + version() + " (Java " + Runtime.version() + ")");
    return 0;
  }

  static String version() {
    String v = Tinko.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }

  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tinko " + version()};
    }
  }
}
