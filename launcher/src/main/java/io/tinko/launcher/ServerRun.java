package io.tinko.launcher;

import io.tinko.common.config.TinkoConfig;
import io.tinko.common.crypto.Secrets;
import io.tinko.common.db.RuntimeFile;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a server command until SIGINT/SIGTERM, then stops everything it started within a few seconds. */
final class ServerRun {
  private ServerRun() {}

  static int run(TinkoConfig config, String name, boolean embedded, boolean clustered, boolean gateway,
                 boolean engine) throws Exception {
    Logger log = LoggerFactory.getLogger("io.tinko." + name);
    Secrets secrets = Secrets.load(config);
    Backing backing = embedded ? Backing.startOrConnect(config) : Backing.connect(config);
    // the one shutdown hook, from here on: vert.x first, then the embedded services (they do not stop themselves
    // at JVM exit, which would cut their connections under a vert.x still stopping: hooks run concurrently)
    AtomicReference<Node> started = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      log.info("stopping");
      Node running = started.get();
      if (running != null) {
        try {
          running.close().await(4, TimeUnit.SECONDS);
        } catch (Exception e) {
          log.warn("vert.x did not stop cleanly: {}", e.getMessage());
        }
      }
      backing.close();
      if (embedded) {
        RuntimeFile.delete(config.dataDir());
      }
      stopped.countDown();
    }, "tinko-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Node node = null;
    try {
      node = Node.create(config, clustered).await(60, TimeUnit.SECONDS);
      started.set(node);
      node.start(config, backing, secrets, gateway, engine).await(120, TimeUnit.SECONDS);
    } catch (Exception | Error e) {
      started.set(null);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it stops what this would
      }
      if (node != null) {
        node.close().await(5, TimeUnit.SECONDS);
      }
      backing.close();
      throw e;
    }
    if (embedded) {
      RuntimeFile.write(config.dataDir(), gateway ? backing.runtimeInfo().put("publicUrl", config.publicUrl())
          : backing.runtimeInfo());
    }
    if (gateway) {
      log.info("gateway listening on {} (webhooks: POST /v1/webhooks/{psp}/{endpointId}; /health/ready; /metrics)",
          config.publicUrl());
    }
    if (engine) {
      log.info("engine consuming inbound events");
    }
    log.info("postgres: {} ({})", backing.pgSource, redact(backing.pgUrl));
    log.info("redis: {} ({})", backing.redisSource, redact(backing.redisUrl));
    log.info("mail: {} ({})", backing.smtpSource, redact(backing.smtpUrl));
    log.info("event bus: {}", clustered ? "Hazelcast cluster '" + config.string("cluster.name") + "' via "
        + config.list("cluster.members") : "local (single process)");
    log.info("tinko {} ready", name);

    stopped.await();
    return 0;
  }

  /** URLs without their credentials, for logs. */
  static String redact(String url) {
    int scheme = url.indexOf("://");
    int at = url.indexOf('@');
    if (scheme < 0 || at < scheme) {
      return url;
    }
    return url.substring(0, scheme + 3) + "***@" + url.substring(at + 1);
  }
}
