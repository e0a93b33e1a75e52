package io.tinko.gateway.webhook;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The de-duplication fast path: a Redis mark per (endpoint, event id), written only after the event's row has
 * committed. Commands issued during one event-loop pass travel as one pipelined batch on this verticle's own
 * connection.
 *
 * <p>Redis never fails a request: when it is down, slow or unreachable, {@link #seen} answers "not seen" (Postgres'
 * unique key then decides) and marks are skipped; the degraded answers are counted. A lost connection is retried
 * in the background.
 */
public final class RedisDedupe {
  private static final Logger LOG = LoggerFactory.getLogger(RedisDedupe.class);
  private static final long ANSWER_TIMEOUT_MS = 100;
  private static final long RETRY_MS = 1000;
  private static final Exception NO_ANSWER = new java.util.concurrent.TimeoutException("no answer from redis") {
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  };

  private final Vertx vertx;
  private final Context context;
  private final Redis client;
  private final long ttlSeconds;
  private final Runnable degraded;
  private RedisConnection connection;
  private boolean connecting;
  private long downUntil;
  private final List<Request> requests = new ArrayList<>();
  private final List<Promise<Response>> promises = new ArrayList<>();
  private boolean flushScheduled;
  private boolean closed;

  public RedisDedupe(Vertx vertx, String url, long ttlSeconds, Runnable degraded) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxWaitingHandlers(65536));
    this.ttlSeconds = ttlSeconds;
    this.degraded = degraded;
  }

  public Future<Void> start() {
    connect();
    return Future.succeededFuture();
  }

  public boolean connected() {
    return connection != null;
  }

  public static String key(String endpointId, String eventId) {
    return "tinko:wh:" + endpointId + ":" + eventId;
  }

  /** True when a mark says the event was stored already. False when unknown, including when Redis is unusable. */
  public Future<Boolean> seen(String key) {
    if (!usable()) {
      degraded.run();
      return Future.succeededFuture(false);
    }
    // the answer timeout is one timer per pipelined batch (see flush), not one per request
    return enqueue(Request.cmd(Command.EXISTS).arg(key)).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(ar.result() != null && ar.result().toLong() > 0);
      }
      degraded.run();
      return Future.succeededFuture(false);
    });
  }

  /** Records that the event's row is committed. Best effort. */
  public void mark(String key) {
    if (usable()) {
      enqueue(Request.cmd(Command.SET).arg(key).arg("1").arg("EX").arg(ttlSeconds));
    }
  }

  private boolean usable() {
    if (connection != null && System.currentTimeMillis() >= downUntil) {
      return true;
    }
    if (connection == null) {
      connect();
    }
    return false;
  }

  private Future<Response> enqueue(Request request) {
    Promise<Response> p = Promise.promise();
    requests.add(request);
    promises.add(p);
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
    return p.future();
  }

  private void flush() {
    flushScheduled = false;
    if (requests.isEmpty()) {
      return;
    }
    List<Request> batch = new ArrayList<>(requests);
    List<Promise<Response>> waiting = new ArrayList<>(promises);
    requests.clear();
    promises.clear();
    RedisConnection conn = connection;
    if (conn == null) {
      waiting.forEach(p -> p.tryFail("redis not connected"));
      return;
    }
    long timer = vertx.setTimer(ANSWER_TIMEOUT_MS, t -> {
      // a look-up without an answer counts as "not seen" (Postgres' unique key decides); a late answer is ignored
      boolean lookUpLate = false;
      for (int i = 0; i < waiting.size(); i++) {
        if (waiting.get(i).tryFail(NO_ANSWER) && batch.get(i).command() == Command.EXISTS) {
          lookUpLate = true;
        }
      }
      if (lookUpLate) {
        markDown("no answer within " + ANSWER_TIMEOUT_MS + " ms");
      }
    });
    conn.batch(batch).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        List<Response> responses = ar.result();
        for (int i = 0; i < waiting.size(); i++) {
          waiting.get(i).tryComplete(i < responses.size() ? responses.get(i) : null);
        }
      } else {
        waiting.forEach(p -> p.tryFail(ar.cause()));
        markDown(ar.cause().getMessage());
      }
    });
  }

  private void markDown(String why) {
    if (!closed && System.currentTimeMillis() >= downUntil) {
      LOG.warn("redis unusable ({}); de-duplicating on Postgres alone for now", why);
    }
    downUntil = System.currentTimeMillis() + RETRY_MS;
  }

  private void connect() {
    if (closed || connecting || System.currentTimeMillis() < downUntil) {
      return;
    }
    connecting = true;
    client.connect().onComplete(ar -> {
      connecting = false;
      if (ar.failed()) {
        markDown(ar.cause().getMessage());
        return;
      }
      RedisConnection conn = ar.result();
      conn.exceptionHandler(err -> dropConnection(conn, err.getMessage()));
      conn.endHandler(v -> dropConnection(conn, "connection closed"));
      connection = conn;
      downUntil = 0;
    });
  }

  private void dropConnection(RedisConnection conn, String why) {
    if (connection == conn) {
      connection = null;
      markDown(why);
      conn.close();
    }
  }

  public void close() {
    closed = true;
    if (connection != null) {
      connection.close();
    }
    client.close();
  }
}
