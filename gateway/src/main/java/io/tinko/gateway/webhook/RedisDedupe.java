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
 * committed. What one event-loop pass asks for travels as one pipelined batch on this verticle's own connection, in
 * at most two commands: one {@code MGET} for every look-up of the pass and, for the marks (a committed group answers
 * all its requests in one pass), one script that sets each key with its TTL. Two commands per group instead of two per
 * webhook: the client's per-command work (a request, a promise, a parsed reply) was ~15 % of the event loops' samples.
 *
 * <p>Redis never fails a request: when it is down, slow or unreachable, {@link #seen} answers "not seen" (Postgres'
 * unique key then decides) and marks are skipped; the degraded answers are counted. A lost connection is retried
 * in the background.
 */
public final class RedisDedupe {
  private static final Logger LOG = LoggerFactory.getLogger(RedisDedupe.class);
  private static final long ANSWER_TIMEOUT_MS = 100;
  private static final long RETRY_MS = 1000;
  /** SET key 1 EX ttl for every key: one command for a group's marks. */
  static final String MARK_ALL = "for i = 1, #KEYS do redis.call('SET', KEYS[i], '1', 'EX', ARGV[1]) end return #KEYS";

  private final Vertx vertx;
  private final Context context;
  private final Redis client;
  private final long ttlSeconds;
  private final Runnable degraded;
  private RedisConnection connection;
  private boolean connecting;
  private long downUntil;
  private final List<String> lookups = new ArrayList<>();
  private final List<Promise<Boolean>> waiting = new ArrayList<>();
  private final List<String> marks = new ArrayList<>();
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
    Promise<Boolean> p = Promise.promise();
    lookups.add(key);
    waiting.add(p);
    scheduleFlush();
    return p.future();
  }

  /** Records that the event's row is committed. Best effort. */
  public void mark(String key) {
    if (usable()) {
      marks.add(key);
      scheduleFlush();
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

  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    flushScheduled = false;
    if (lookups.isEmpty() && marks.isEmpty()) {
      return;
    }
    List<Request> batch = new ArrayList<>(2);
    List<Promise<Boolean>> asked = List.copyOf(waiting);
    if (!lookups.isEmpty()) {
      Request mget = Request.cmd(Command.MGET);
      lookups.forEach(mget::arg);
      batch.add(mget);
    }
    if (marks.size() == 1) {
      batch.add(Request.cmd(Command.SET).arg(marks.get(0)).arg("1").arg("EX").arg(ttlSeconds));
    } else if (!marks.isEmpty()) {
      Request eval = Request.cmd(Command.EVAL).arg(MARK_ALL).arg(marks.size());
      marks.forEach(eval::arg);
      batch.add(eval.arg(ttlSeconds));
    }
    lookups.clear();
    waiting.clear();
    marks.clear();
    RedisConnection conn = connection;
    if (conn == null) {
      notSeen(asked);
      return;
    }
    // one answer timer per batch: a look-up without an answer counts as "not seen" (Postgres' unique key decides)
    long timer = asked.isEmpty() ? -1 : vertx.setTimer(ANSWER_TIMEOUT_MS, t -> {
      if (notSeen(asked)) {
        markDown("no answer within " + ANSWER_TIMEOUT_MS + " ms");
      }
    });
    conn.batch(batch).onComplete(ar -> {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      if (ar.failed()) {
        notSeen(asked);
        markDown(ar.cause().getMessage());
        return;
      }
      if (!asked.isEmpty()) {
        Response values = ar.result().get(0);
        for (int i = 0; i < asked.size(); i++) {
          Response v = values == null || i >= values.size() ? null : values.get(i);
          asked.get(i).tryComplete(v != null);
        }
      }
    });
  }

  /** Answers "not seen" to the look-ups still waiting, counting each as degraded; true when there was any. */
  private boolean notSeen(List<Promise<Boolean>> asked) {
    boolean any = false;
    for (Promise<Boolean> p : asked) {
      if (p.tryComplete(false)) {
        degraded.run();
        any = true;
      }
    }
    return any;
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
