package io.tinko.gateway.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.util.Ids;
import io.tinko.gateway.webhook.verify.Verdict;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of webhooks refused for a known endpoint (bad or expired signature, body too large, malformed payload), so
 * that a merchant sees in {@code GET /v1/events} that the PSP is signing with the wrong secret. It keeps a generic
 * reason, the body's size, SHA-256 and first bytes, and the PSP event id when one can be read; never the signature
 * headers nor the whole body, so nothing here can be replayed, and nothing here is written to {@code webhook_events}.
 *
 * <p>Off the hot path: {@link #record} only queues (the refusal is answered without waiting), and rows go to Postgres
 * in multi-row inserts, one in flight at a time. A forged flood cannot fill the disk or the heap: at most
 * {@code perEndpointPerSecond} refusals per endpoint and second are kept (counted per process, in the gateway's shared
 * {@link RateLimiter} under a key of their own), the queue is bounded, and whatever is not kept is counted in
 * {@code tinko_webhook_refusals_dropped_total{reason}}.
 *
 * <p>One instance per HTTP verticle, confined to its event loop like {@link GroupCommitter}: no locks.
 */
public final class RefusedWebhookLog {
  private static final Logger LOG = LoggerFactory.getLogger(RefusedWebhookLog.class);
  static final String INSERT = """
      INSERT INTO webhook_refusals (id, received_at, endpoint_id, org_id, psp, outcome, reason, event_id, event_type,
                                    body_bytes, body_sha256, body_prefix)
      SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                           $8::text[], $9::text[], $10::int4[], $11::bytea[], $12::bytea[])""";
  private static final int MAX_ID_CHARS = 255;

  /** Why a webhook was refused; the label is the event log's {@code outcome}. */
  public enum Outcome {
    BAD_SIGNATURE, EXPIRED, TOO_LARGE, MALFORMED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The webhooks.refusals.* keys (conf/tinko.yaml documents each). */
  public record Settings(int perEndpointPerSecond, int maxQueued, int maxBatchRows, long lingerMs,
                         int bodyPrefixBytes) {
    public static Settings from(TinkoConfig c) {
      return new Settings(c.integer("webhooks.refusals.perEndpointPerSecond"),
          c.integer("webhooks.refusals.maxQueuedPerLoop"), c.integer("webhooks.refusals.maxBatchRows"),
          c.longValue("webhooks.refusals.lingerMs"), c.integer("webhooks.refusals.bodyPrefixBytes"));
    }
  }

  /** The PSP's event id and type as far as the body shows them; either may be null. */
  public record Identity(String eventId, String eventType) {
    public static final Identity NONE = new Identity(null, null);
  }

  private record Row(UUID id, OffsetDateTime receivedAt, Endpoint endpoint, Outcome outcome, String reason,
                     Identity identity, Integer bodyBytes, byte[] sha256, byte[] prefix) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final RateLimiter limiter;
  private final Settings settings;
  private final ArrayDeque<Row> queue = new ArrayDeque<>();
  private final MessageDigest sha256;
  private final Counter logged;
  private final Counter rateCapped;
  private final Counter queueFull;
  private final Counter writeFailed;
  private boolean flushScheduled;
  private boolean writing;

  public RefusedWebhookLog(Vertx vertx, Pool pool, RateLimiter limiter, MeterRegistry registry, Settings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.limiter = limiter;
    this.settings = settings;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
    logged = Counter.builder("tinko_webhook_refusals_logged")
        .description("Refused webhooks written to the event log").register(registry);
    rateCapped = dropped(registry, "rate_capped");
    queueFull = dropped(registry, "queue_full");
    writeFailed = dropped(registry, "write_failed");
  }

  private static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder("tinko_webhook_refusals_dropped").tag("reason", reason)
        .description("Refused webhooks not written to the event log, by why").register(registry);
  }

  /**
   * Queues one refusal, or counts it as dropped. Returns at once.
   *
   * @param body      the body as received, or null when it was refused before being read
   * @param bodyBytes the body's size (the declared Content-Length when it was not read), or null when unknown
   * @param identity  reads the event id from the body; called only for refusals that are kept
   */
  public void record(Endpoint endpoint, Outcome outcome, String reason, byte[] body, Integer bodyBytes,
                     Supplier<Identity> identity) {
    if (!limiter.tryAcquire("refused:" + endpoint.id(), settings.perEndpointPerSecond(), System.currentTimeMillis())) {
      rateCapped.increment();
      return;
    }
    if (queue.size() >= settings.maxQueued()) {
      queueFull.increment();
      return;
    }
    Identity id = body == null ? Identity.NONE : identity.get();
    queue.add(new Row(Ids.uuid7(), OffsetDateTime.now(ZoneOffset.UTC), endpoint, outcome, reason,
        id == null ? Identity.NONE : id, bodyBytes, body == null ? null : sha256.digest(body),
        body == null ? null : Arrays.copyOf(body, Math.min(body.length, settings.bodyPrefixBytes()))));
    if (!flushScheduled && !writing) {
      flushScheduled = true;
      // linger so that a burst goes out as one statement
      vertx.setTimer(Math.max(1, settings.lingerMs()), t -> flush());
    }
  }

  /** A generic reason for a failed signature check: which check failed, never what was expected. */
  public static String reason(Verdict verdict) {
    return switch (verdict) {
      case MISSING -> "signature header missing";
      case MALFORMED -> "signature header malformed";
      case EXPIRED -> "signature timestamp outside the tolerance";
      default -> "signature does not match any active secret of this endpoint";
    };
  }

  /** Refusals queued and not yet written (tests and diagnostics). */
  public int queued() {
    return queue.size();
  }

  private void flush() {
    flushScheduled = false;
    if (queue.isEmpty()) {
      return;
    }
    int n = Math.min(queue.size(), settings.maxBatchRows());
    List<Row> rows = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(queue.poll());
    }
    writing = true;
    pool.preparedQuery(INSERT).execute(params(rows)).onComplete(ar -> {
      writing = false;
      if (ar.succeeded()) {
        logged.increment(rows.size());
      } else {
        writeFailed.increment(rows.size());
        LOG.atWarn().addKeyValue("rows", rows.size()).log("refused webhooks not logged: {}", ar.cause().getMessage());
      }
      if (!queue.isEmpty()) {
        flush();
      }
    });
  }

  private static Tuple params(List<Row> rows) {
    int n = rows.size();
    UUID[] ids = new UUID[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    String[] endpoints = new String[n];
    UUID[] orgs = new UUID[n];
    String[] psps = new String[n];
    String[] outcomes = new String[n];
    String[] reasons = new String[n];
    String[] eventIds = new String[n];
    String[] types = new String[n];
    Integer[] sizes = new Integer[n];
    Buffer[] hashes = new Buffer[n];
    Buffer[] prefixes = new Buffer[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      ids[i] = r.id();
      at[i] = r.receivedAt();
      endpoints[i] = r.endpoint().id();
      orgs[i] = r.endpoint().orgId();
      psps[i] = r.endpoint().psp().id();
      outcomes[i] = r.outcome().label();
      reasons[i] = r.reason();
      eventIds[i] = clip(r.identity().eventId());
      types[i] = clip(r.identity().eventType());
      sizes[i] = r.bodyBytes();
      hashes[i] = r.sha256() == null ? null : Buffer.buffer(r.sha256());
      prefixes[i] = r.prefix() == null ? null : Buffer.buffer(r.prefix());
    }
    return Tuple.tuple().addArrayOfUUID(ids).addArrayOfOffsetDateTime(at).addArrayOfString(endpoints)
        .addArrayOfUUID(orgs).addArrayOfString(psps).addArrayOfString(outcomes).addArrayOfString(reasons)
        .addArrayOfString(eventIds).addArrayOfString(types).addArrayOfInteger(sizes).addArrayOfBuffer(hashes)
        .addArrayOfBuffer(prefixes);
  }

  /** Ids come from an unverified body: keep them short. */
  private static String clip(String s) {
    return s == null || s.length() <= MAX_ID_CHARS ? s : s.substring(0, MAX_ID_CHARS);
  }
}
