package io.tinko.embedded;

import java.io.IOException;
import redis.embedded.RedisServer;

/**
 * A real Redis (the binary bundled by embedded-redis) on 127.0.0.1. Nothing is persisted: Redis only holds the
 * de-duplication fast path and rate-limit counters, Postgres is the truth.
 */
public final class EmbeddedRedisServer implements AutoCloseable {
  private final RedisServer server;
  private final int port;

  private EmbeddedRedisServer(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Started, and stopped at the latest when the JVM exits. */
  public static EmbeddedRedisServer start(int configuredPort) throws IOException {
    return start(configuredPort, true);
  }

  /**
   * @param stopAtJvmExit false when the caller stops it ({@link #close}) in its own shutdown hook, after the clients
   *     using it: the JVM runs shutdown hooks concurrently, and Redis stopping by itself would cut their connections
   *     while they are still being closed
   */
  public static EmbeddedRedisServer start(int configuredPort, boolean stopAtJvmExit) throws IOException {
    int port = FreePort.pick(configuredPort);
    RedisServer server = RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("save \"\"")
        .setting("appendonly no")
        .setting("maxmemory 512mb")
        .setting("maxmemory-policy volatile-ttl")
        .onShutdownForceStop(stopAtJvmExit)
        .build();
    server.start();
    return new EmbeddedRedisServer(server, port);
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public void stop() throws IOException {
    server.stop();
  }

  @Override
  public void close() throws IOException {
    if (server.isActive()) {
      server.stop();
    }
  }
}
