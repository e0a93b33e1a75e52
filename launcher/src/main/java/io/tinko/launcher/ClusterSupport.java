package io.tinko.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.tinko.common.config.TinkoConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Hazelcast for the clustered event bus: TCP-IP join on the configured members only (no multicast, no cloud
 * auto-detection, no phone-home), starting from Vert.x's own map settings.
 */
final class ClusterSupport {
  private ClusterSupport() {}

  static HazelcastClusterManager manager(TinkoConfig config) {
    System.setProperty("hazelcast.phone.home.enabled", "false");
    System.setProperty("hazelcast.wait.seconds.before.join", "0");
    System.setProperty("hazelcast.logging.type", "slf4j");
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.string("cluster.name"));
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.integer("cluster.port")).setPortAutoIncrement(true).setPortCount(20);
    String host = config.string("cluster.host");
    if (host.matches("[0-9.]+")) {
      network.getInterfaces().setEnabled(true).addInterface(host);
    } else {
      // a host name (containers): bind as usual, announce the name's address to the other members
      network.setPublicAddress(host);
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(config.list("cluster.members")).setConnectionTimeoutSeconds(2);
    hz.setProperty("hazelcast.socket.bind.any", host.matches("[0-9.]+") ? "false" : "true");
    // notice a dead member in seconds rather than a minute, so its share of the bus is not lost for long
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    return new HazelcastClusterManager(hz);
  }
}
