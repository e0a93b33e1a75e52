package io.tinko.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a free port for an embedded service whose port is configured as 0.
 *
 * <p>The port is chosen below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}). A port from that
 * range (what {@code new ServerSocket(0)} hands out) can be taken, between the pick and the service's own bind, by any
 * outgoing connection on the machine, a Postgres or Redis client socket included; that race failed a CI run with
 * "Address already in use". Below the range only an explicit bind can take a port. A port is checked free on every
 * address, and is never handed out twice by one JVM.
 */
public final class FreePort {
  private static final int LOWEST = 15_000;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePort() {}

  public static int pick(int configured) {
    if (configured > 0) {
      return configured;
    }
    int below = ephemeralLow();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int tries = 0; tries < 200; tries++) {
      int port = below > LOWEST + 1000 ? random.nextInt(LOWEST, below) : random.nextInt(LOWEST, 65_536);
      if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port found between " + LOWEST + " and " + below);
  }

  static boolean bindable(int port) {
    for (InetAddress address : new InetAddress[] {null, InetAddress.getLoopbackAddress()}) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port), 1);
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }

  /** The low end of the ephemeral port range; 32768 (Linux's default) where it cannot be read. */
  static int ephemeralLow() {
    // read line by line: on Java 17 Files.readString returned a truncated string for this /proc file (size 0)
    try (BufferedReader in = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
      return Integer.parseInt(in.readLine().trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException unreadable) {
      return 32_768;
    }
  }
}
