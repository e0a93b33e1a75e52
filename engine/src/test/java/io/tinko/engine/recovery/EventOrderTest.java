package io.tinko.engine.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.bus.InboundEvent;
import io.tinko.engine.support.Await;
import io.tinko.engine.support.EngineHarness;
import io.tinko.engine.support.Events;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Events of one payment in every order, twice, and concurrently: the payment's final state is always the same. */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class EventOrderTest {
  private static final Instant T0 = Instant.parse("2026-01-31T10:00:00Z");
  private EngineHarness h;

  @BeforeEach
  void setUp(Vertx vertx, TestDatabase database) {
    h = new EngineHarness(vertx, database, T0.plusSeconds(30));
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  /** A decline reported twice (first without codes, like Stripe's invoice event) and the PSP's later success. */
  private List<Events> payment(String key) {
    return List.of(
        Events.failed(key).invoice("in_" + key).at(T0),
        Events.failed(key).invoice("in_" + key).decline("insufficient_funds").at(T0.plusSeconds(1)),
        Events.succeeded(key).invoice("in_" + key).at(T0.plus(Duration.ofHours(5))));
  }

  private record Outcome(String status, String recoveredBy, long live, long transactions) {}

  private Outcome outcome(UUID org) {
    List<Map<String, Object>> txs = h.db.transactions(org);
    Map<String, Object> tx = txs.get(0);
    long live = h.db.count("SELECT count(*) FROM recovery_attempts WHERE org_id = ? AND status = 'scheduled'", org);
    return new Outcome((String) tx.get("status"), (String) tx.get("recovered_by"), live, txs.size());
  }

  private List<InboundEvent> store(UUID org, String ep, List<Events> events) {
    List<InboundEvent> out = new ArrayList<>();
    for (Events e : events) {
      out.add(h.db.store(ep, org, "sandbox", e.type(), e.body()));
    }
    return out;
  }

  @Test
  @DisplayName("every order of failure, failure echo and success, one by one or in one group, twice: recovered by the PSP")
  void everyOrderEndsRecovered() {
    int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    for (int[] order : orders) {
      for (boolean oneGroup : new boolean[] {false, true}) {
        UUID org = h.db.organization("UTC");
        String ep = h.db.connection(org, "sandbox", null, null);
        List<InboundEvent> stored = store(org, ep, payment("p" + order[0] + order[1] + order[2] + oneGroup));
        List<InboundEvent> ordered = new ArrayList<>();
        for (int i : order) {
          ordered.add(stored.get(i));
        }
        if (oneGroup) {
          h.process(ordered.toArray(InboundEvent[]::new));
        } else {
          ordered.forEach(h::process);
        }
        ordered.forEach(h::process);   // every copy again, as the sweeper could send them
        assertThat(outcome(org)).as("order %s, one group %s", List.of(order[0], order[1], order[2]), oneGroup)
            .isEqualTo(new Outcome("recovered", "psp_retry", 0, 1));
      }
    }
  }

  @Test
  @DisplayName("a decline and its echo with codes, in either order: one transaction, the coded class, one live attempt")
  void echoInEitherOrderGivesTheSamePlan() {
    for (boolean reversed : new boolean[] {false, true}) {
      UUID org = h.db.organization("UTC");
      String ep = h.db.connection(org, "sandbox", null, null);
      List<InboundEvent> stored = store(org, ep, payment("echo" + reversed).subList(0, 2));
      h.process(stored.get(reversed ? 1 : 0));
      h.process(stored.get(reversed ? 0 : 1));
      Map<String, Object> tx = h.db.transactions(org).get(0);
      assertThat(h.db.transactions(org)).hasSize(1);
      assertThat(tx).containsEntry("status", "retrying").containsEntry("decline_class", "RETRY_LATER")
          .containsEntry("decline_code", "insufficient_funds");
      List<Map<String, Object>> live = h.db.rows("SELECT * FROM recovery_attempts WHERE org_id = ? AND status = "
          + "'scheduled'", org);
      assertThat(live).hasSize(1);
      // the plan is anchored on whichever report of the decline came first: the same within the echo window
      assertThat((Instant) live.get(0).get("due_at")).isBetween(T0.plus(Duration.ofDays(1)),
          T0.plus(Duration.ofDays(1)).plusSeconds(1));
      assertThat(h.db.count("SELECT count(*) FROM card_attempts WHERE org_id = ? AND outcome = 'declined'", org))
          .as("one decline in the card's history").isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a success closes the transaction as recovered by the PSP and cancels its scheduled attempt")
  void successClosesAndCancels() {
    UUID org = h.db.organization("UTC");
    String ep = h.db.connection(org, "sandbox", null, null);
    List<InboundEvent> stored = store(org, ep, payment("close"));
    h.process(stored.get(1));
    UUID tx = (UUID) h.db.transactions(org).get(0).get("id");
    assertThat(h.db.attempts(tx)).extracting(r -> r.get("status")).containsExactly("scheduled");
    h.process(stored.get(2));

    assertThat(h.db.transactions(org).get(0)).containsEntry("status", "recovered")
        .containsEntry("recovered_by", "psp_retry").containsEntry("recovered_at", T0.plus(Duration.ofHours(5)));
    assertThat(h.db.attempts(tx)).extracting(r -> r.get("status")).containsExactly("cancelled");
    assertThat(h.db.decisions(tx)).extracting(r -> r.get("action")).containsExactly("SCHEDULE_RETRY", "RECOVERED");
    assertThat(h.db.count("SELECT count(*) FROM card_attempts WHERE transaction_id = ? AND outcome = 'scheduled'", tx))
        .isZero();
  }

  @Test
  @DisplayName("two engines processing the same events at once create one transaction and one attempt")
  void concurrentEnginesDoNotDuplicate() {
    UUID org = h.db.organization("UTC");
    String ep = h.db.connection(org, "sandbox", null, null);
    List<InboundEvent> stored = store(org, ep, payment("race").subList(0, 2));
    Future<Void> a = h.newPipeline().process(List.of(stored.get(0), stored.get(1)));
    Future<Void> b = h.newPipeline().process(List.of(stored.get(1), stored.get(0)));
    Await.await(Future.all(a, b));

    assertThat(h.db.transactions(org)).hasSize(1);
    UUID tx = (UUID) h.db.transactions(org).get(0).get("id");
    assertThat(h.db.attempts(tx)).hasSize(1);
    assertThat(h.db.count("SELECT count(*) FROM webhook_events WHERE org_id = ? AND processed_at IS NULL", org)).isZero();
  }

  @Test
  @DisplayName("a failure after a recovered payment of the same key starts a new transaction (the next cycle)")
  void nextCycleIsANewTransaction() {
    UUID org = h.db.organization("UTC");
    String ep = h.db.connection(org, "sandbox", null, null);
    Instant march = T0.plus(Duration.ofDays(30));
    h.process(store(org, ep, List.of(Events.failed("sub-1").invoice("in_sub").at(T0),
        Events.succeeded("sub-1").at(T0.plus(Duration.ofDays(2))),
        Events.failed("sub-1").invoice("in_sub").decline("insufficient_funds").at(march))).toArray(InboundEvent[]::new));

    // both created by one group, in one statement: the same created_at, and ids made in the same millisecond
    // (uuid7) compare at random; the cycles' own order is their failures'
    List<Map<String, Object>> txs = h.db.rows("SELECT * FROM transactions WHERE org_id = ? ORDER BY failed_at", org);
    assertThat(txs).extracting(r -> r.get("status")).containsExactly("recovered", "retrying");
    assertThat(txs.get(1).get("psp_payment_key")).isEqualTo("key:sub-1@" + march.getEpochSecond());
    assertThat(h.db.row("SELECT transaction_id FROM transaction_keys WHERE org_id = ? AND key = 'key:sub-1'", org))
        .containsEntry("transaction_id", txs.get(1).get("id"));
  }
  @Test
  @DisplayName("the next cycle arriving in a later group re-points the stored keys, and a copy of it changes nothing")
  void nextCycleInALaterGroup() {
    UUID org = h.db.organization("UTC");
    String ep = h.db.connection(org, "sandbox", null, null);
    Instant march = T0.plus(Duration.ofDays(30));
    h.process(store(org, ep, List.of(Events.failed("sub-2").invoice("in_sub2").at(T0),
        Events.succeeded("sub-2").at(T0.plus(Duration.ofDays(2))))).toArray(InboundEvent[]::new));
    UUID first = (UUID) h.db.transactions(org).get(0).get("id");
    assertThat(h.db.count("SELECT count(*) FROM transaction_keys WHERE org_id = ? AND transaction_id = ?", org, first))
        .isEqualTo(2);
    InboundEvent next = store(org, ep, List.of(Events.failed("sub-2").invoice("in_sub2")
        .decline("insufficient_funds").at(march))).get(0);
    h.process(next);
    h.process(next);

    List<Map<String, Object>> txs = h.db.transactions(org);
    assertThat(txs).extracting(r -> r.get("status")).containsExactly("recovered", "retrying");
    assertThat(h.db.rows("SELECT key, transaction_id FROM transaction_keys WHERE org_id = ? ORDER BY key", org))
        .extracting(r -> r.get("key") + "=" + txs.get(1).get("id").equals(r.get("transaction_id")))
        .containsExactly("invoice:in_sub2=true", "key:sub-2=true");
    assertThat(h.db.count("SELECT count(*) FROM decisions WHERE org_id = ?", org)).isEqualTo(3);
  }
}
