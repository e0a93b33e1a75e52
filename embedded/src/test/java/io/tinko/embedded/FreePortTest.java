package io.tinko.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FreePortTest {

  @Test
  @DisplayName("a configured port is kept as it is")
  void configuredPortKept() {
    assertThat(FreePort.pick(5432)).isEqualTo(5432);
  }

  @Test
  @DisplayName("picked ports lie below the ephemeral range, are distinct, and can be bound on loopback")
  void pickedPortsAreOutsideTheEphemeralRange() throws Exception {
    int ephemeralLow = FreePort.ephemeralLow();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = FreePort.pick(0);
      assertThat(port).isLessThan(ephemeralLow).isGreaterThanOrEqualTo(1024);
      assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        assertThat(s.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  @DisplayName("a port someone is listening on, on loopback or on every address, counts as taken")
  void busyPortIsNotBindable() throws Exception {
    for (InetAddress address : new InetAddress[] {InetAddress.getLoopbackAddress(), null}) {
      int port;
      try (ServerSocket taken = new ServerSocket()) {
        taken.bind(address == null ? new InetSocketAddress(0) : new InetSocketAddress(address, 0));
        port = taken.getLocalPort();
        assertThat(FreePort.bindable(port)).as("port %d while %s listens", port, address).isFalse();
      }
      assertThat(FreePort.bindable(port)).as("port %d after close", port).isTrue();
    }
  }
}
