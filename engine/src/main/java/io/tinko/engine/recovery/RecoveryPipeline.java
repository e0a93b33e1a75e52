package io.tinko.engine.recovery;

import io.micrometer.core.instrument.Counter;
import io.tinko.common.bus.InboundEvent;
import io.tinko.common.domain.Psp;
import io.tinko.engine.ingest.EventProcessor;
import io.tinko.engine.normalize.EventKind;
import io.tinko.engine.normalize.NormalizationException;
import io.tinko.engine.normalize.NormalizedEvent;
import io.tinko.engine.normalize.Normalizer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery pipeline: a group of stored events becomes transactions, decisions and scheduled attempts in ONE
 * database transaction, in a fixed number of round trips whatever the group's size:
 * <ol>
 *   <li>advisory locks on the group's payment keys (ascending), the processed mark (event rows locked in id
 *       order), the key look-up and the subscription look-up — pipelined;</li>
 *   <li>the touched transactions row-locked and loaded with attempts, card histories, remembered successes,
 *       tenants' zones and policies ({@link StateLoader}) — pipelined;</li>
 *   <li>every event applied in memory in arrival order ({@link EventApplier}), then one statement per table
 *       ({@link WriteSql}) — pipelined — and COMMIT.</li>
 * </ol>
 * Exactly once: an event's effects commit together with its processed mark, and the mark only takes rows still
 * unmarked ({@code processed_at IS NULL}), so a re-dispatched copy, or one processed by another engine at the same
 * time (it waits on the event's lock, then finds it marked), has no effect. If a group fails, its events are
 * retried one by one, so one bad event cannot hold back the others.
 */
public final class RecoveryPipeline implements EventProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(RecoveryPipeline.class);
  /** A single event that still fails after this many dispatches is marked processed and logged, not retried forever. */
  static final int GIVE_UP_AFTER_DISPATCHES = 10;
  static final String LOCK = """
      SELECT count(pg_advisory_xact_lock(k)) FROM (
        SELECT k FROM unnest($1::int8[]) WITH ORDINALITY AS u(k, i) ORDER BY i) s""";
  /**
   * The processed mark takes only unmarked rows. Written as array membership on the primary key, not as a join with
   * unnest: the plan is then an index scan whatever the table statistics say (a join planned on stale statistics
   * scanned every unprocessed row). Index scans visit the given keys in sorted order, so two groups holding copies
   * of the same events lock them in the same order; should two differently planned groups still deadlock, Postgres
   * aborts one and its events are retried one by one. (An id only exists with its own received_at, so the two
   * memberships select exactly the given rows.)
   */
  static final String MARK = """
      UPDATE webhook_events SET processed_at = now()
       WHERE id = ANY($1::uuid[]) AND received_at = ANY($2::timestamptz[]) AND processed_at IS NULL
      RETURNING id""";
  /** The transactions of a group's keys, one primary-key probe per key ({@link KeyProbe}). */
  static final String KEYS = KeyProbe.select("transaction_keys", "transaction_id");
  /**
   * Razorpay only ({@link SubscriptionLink#applies}): the PSP named as a constant lets the planner use the partial
   * Razorpay indexes (V12).
   */
  static final String RELATED = """
      SELECT t.id FROM transactions t
        JOIN unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS i(org_id, psp, sub, cust)
          ON t.org_id = i.org_id AND t.psp = i.psp
       WHERE t.psp = 'razorpay' AND t.status <> 'recovered'
         AND (t.subscription_id = i.sub OR (t.subscription_id IS NULL AND t.invoice_id IS NOT NULL
              AND t.customer_id = i.cust))""";

  private record Item(InboundEvent in, NormalizedEvent n) {}

  private final Pool pool;
  private final Normalizer normalizer;
  private final EventApplier applier;
  private final StateLoader loader;
  private final Clock clock;
  private final Duration historyWindow;
  private final EngineMetrics metrics;
  private final Counter invalid;

  RecoveryPipeline(Pool pool, Normalizer normalizer, EventApplier applier, StateLoader loader, Clock clock,
                   Duration historyWindow, EngineMetrics metrics, Counter invalid) {
    this.pool = pool;
    this.normalizer = normalizer;
    this.applier = applier;
    this.loader = loader;
    this.clock = clock;
    this.historyWindow = historyWindow;
    this.metrics = metrics;
    this.invalid = invalid;
  }

  @Override
  public Future<Void> process(List<InboundEvent> events) {
    List<Item> items = new ArrayList<>(events.size());
    for (InboundEvent in : events) {
      items.add(new Item(in, normalize(in)));
    }
    return pool.withTransaction(conn -> run(conn, items)).onSuccess(fresh -> {
      Instant now = Instant.now();
      for (Item item : items) {
        if (fresh.contains(item.in().id())) {
          metrics.committed(Duration.between(item.in().receivedAt(), now));
        }
      }
    }).<Void>mapEmpty().recover(err -> events.size() > 1 ? oneByOne(events, err) : giveUpOrFail(events.get(0), err));
  }

  private NormalizedEvent normalize(InboundEvent in) {
    try {
      Psp psp = Psp.parse(in.psp()).orElseThrow(() -> new NormalizationException("unknown psp " + in.psp()));
      return normalizer.normalize(psp, in.orgId(), in.eventType(), in.rawBody());
    } catch (NormalizationException e) {
      invalid.increment();
      LOG.atWarn().addKeyValue("webhookId", in.id()).addKeyValue("psp", in.psp())
          .addKeyValue("endpointId", in.endpointId()).log("event cannot be normalized, stored only: {}", e.getMessage());
      return null;
    }
  }

  private Future<Set<UUID>> run(SqlConnection conn, List<Item> items) {
    LockKeys locks = new LockKeys();
    List<GroupState.KeyRef> keys = new ArrayList<>();
    List<NormalizedEvent> related = new ArrayList<>();
    for (Item item : items) {
      NormalizedEvent n = item.n();
      if (n != null && n.kind() != EventKind.UNKNOWN) {
        locks.payment(n);
        n.correlationKeys().forEach(k -> keys.add(new GroupState.KeyRef(n.orgId(), n.psp().id(), k)));
        if (SubscriptionLink.applies(n)) {
          related.add(n);
        }
      }
    }
    Future<RowSet<Row>> locked = conn.preparedQuery(LOCK).execute(Tuple.tuple().addArrayOfLong(locks.sorted()));
    Future<RowSet<Row>> marked = conn.preparedQuery(MARK).execute(Tuple.tuple()
        .addArrayOfUUID(items.stream().map(i -> i.in().id()).toArray(UUID[]::new))
        .addArrayOfOffsetDateTime(items.stream().map(i -> i.in().receivedAt().atOffset(ZoneOffset.UTC))
            .toArray(OffsetDateTime[]::new)));
    Future<RowSet<Row>> found = conn.preparedQuery(KEYS).execute(keyTuple(keys));
    Future<RowSet<Row>> linked = related.isEmpty() ? Future.succeededFuture(null)
        : conn.preparedQuery(RELATED).execute(Tuple.tuple()
            .addArrayOfUUID(related.stream().map(NormalizedEvent::orgId).toArray(UUID[]::new))
            .addArrayOfString(related.stream().map(n -> n.psp().id()).toArray(String[]::new))
            .addArrayOfString(related.stream().map(n -> n.refs().subscriptionId()).toArray(String[]::new))
            .addArrayOfString(related.stream().map(n -> n.refs().customerId()).toArray(String[]::new)));
    return Future.all(locked, marked, found, linked).compose(v -> {
      Set<UUID> fresh = new HashSet<>();
      marked.result().forEach(r -> fresh.add(r.getUUID(0)));
      List<Item> todo = items.stream().filter(i -> fresh.contains(i.in().id()) && i.n() != null
          && i.n().kind() != EventKind.UNKNOWN).toList();
      if (todo.isEmpty()) {
        return Future.succeededFuture(fresh);
      }
      Set<UUID> txIds = new LinkedHashSet<>();
      Columns keyColumns = new Columns(found.result());
      int keyOrg = keyColumns.of("org_id");
      int keyPsp = keyColumns.of("psp");
      int keyKey = keyColumns.of("key");
      int keyTx = keyColumns.of("transaction_id");
      found.result().forEach(r -> txIds.add(r.getUUID(keyTx)));
      if (linked.result() != null) {
        linked.result().forEach(r -> txIds.add(r.getUUID(0)));
      }
      return loader.load(conn, request(todo, txIds)).compose(state -> {
        Writes w = new Writes();
        for (Row r : found.result()) {
          UUID tx = r.getUUID(keyTx);
          UUID org = r.getUUID(keyOrg);
          String psp = r.getString(keyPsp);
          String key = r.getString(keyKey);
          w.storedKey(org, psp, key);
          if (state.transactions.containsKey(tx)) {
            state.keyIndex.put(new GroupState.KeyRef(org, psp, key), tx);
          }
        }
        for (Item item : todo) {
          applier.apply(state, w, item.in().id(), item.in().endpointId(), item.n());
        }
        return WriteSql.flush(conn, w).map(fresh);
      });
    });
  }

  private StateLoader.Request request(List<Item> todo, Set<UUID> txIds) {
    List<GroupState.CardRef> cards = new ArrayList<>();
    List<GroupState.KeyRef> successKeys = new ArrayList<>();
    Set<UUID> orgs = new LinkedHashSet<>();
    for (Item item : todo) {
      NormalizedEvent n = item.n();
      orgs.add(n.orgId());
      if (n.cardKey() != null) {
        cards.add(new GroupState.CardRef(n.orgId(), n.cardKey()));
      }
      if (n.kind() == EventKind.FAILED) {
        n.correlationKeys().forEach(k -> successKeys.add(new GroupState.KeyRef(n.orgId(), n.psp().id(), k)));
      }
    }
    return new StateLoader.Request(txIds, cards, successKeys, orgs, clock.instant().minus(historyWindow));
  }

  private static Tuple keyTuple(List<GroupState.KeyRef> keys) {
    return Tuple.tuple()
        .addArrayOfUUID(keys.stream().map(GroupState.KeyRef::orgId).toArray(UUID[]::new))
        .addArrayOfString(keys.stream().map(GroupState.KeyRef::psp).toArray(String[]::new))
        .addArrayOfString(keys.stream().map(GroupState.KeyRef::key).toArray(String[]::new));
  }

  private Future<Void> oneByOne(List<InboundEvent> events, Throwable groupError) {
    LOG.warn("a group of {} events failed ({}); retrying them one by one", events.size(), groupError.getMessage());
    Future<Void> chain = Future.succeededFuture();
    List<Throwable> failures = new ArrayList<>();
    for (InboundEvent e : events) {
      chain = chain.compose(v -> process(List.of(e)).recover(err -> {
        failures.add(err);
        return Future.succeededFuture();
      }));
    }
    return chain.compose(v -> failures.isEmpty() ? Future.succeededFuture()
        : Future.failedFuture(failures.size() + " of " + events.size() + " events failed: "
            + failures.get(0).getMessage()));
  }

  /** One event failed alone: the sweeper sends it again, unless it has failed too often already. */
  private Future<Void> giveUpOrFail(InboundEvent e, Throwable err) {
    if (e.dispatch() < GIVE_UP_AFTER_DISPATCHES) {
      LOG.atWarn().addKeyValue("webhookId", e.id()).addKeyValue("psp", e.psp()).addKeyValue("dispatch", e.dispatch())
          .log("event failed, the sweeper will send it again: {}", err.toString());
      return Future.failedFuture(err);
    }
    LOG.atError().addKeyValue("webhookId", e.id()).addKeyValue("psp", e.psp()).addKeyValue("dispatch", e.dispatch())
        .setCause(err).log("event failed {} times; marked processed without effect, inspect it in webhook_events",
            e.dispatch());
    return pool.preparedQuery(MARK).execute(Tuple.tuple().addArrayOfUUID(new UUID[] {e.id()})
        .addArrayOfOffsetDateTime(new OffsetDateTime[] {e.receivedAt().atOffset(ZoneOffset.UTC)})).mapEmpty();
  }
}
