package io.tinko.engine.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tinko.common.bus.InboundEvent;
import io.tinko.engine.support.EngineHarness;
import io.tinko.engine.support.Events;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, PostgresExtension.class})
class RecoveryPipelineTest {
  private static final Instant CHARGE_FAILED_AT = Instant.ofEpochSecond(1740785400);   // 2025-02-28T23:30:00Z
  private EngineHarness h;
  private UUID org;

  @BeforeEach
  void setUp(Vertx vertx, TestDatabase database) {
    h = new EngineHarness(vertx, database, CHARGE_FAILED_AT.plusSeconds(60));
    org = h.db.organization("UTC");
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  @DisplayName("a Stripe charge.failed creates the transaction, its keys, a decision and one attempt, in one commit")
  void failureCreatesTransactionDecisionAndAttempt() {
    String ep = h.db.connection(org, "stripe", null, null);
    InboundEvent e = h.db.store(ep, org, "stripe", "charge.failed", Events.fixture("stripe/charge.failed.json"));
    h.process(e);

    Map<String, Object> tx = h.db.transactions(org).get(0);
    assertThat(h.db.transactions(org)).hasSize(1);
    assertThat(tx).containsEntry("status", "retrying").containsEntry("decline_class", "RETRY_LATER")
        .containsEntry("psp_payment_key", "invoice:in_1QtK9pLkdIwHu7ixMq2Jv8Yd")
        .containsEntry("amount_minor", 3000L).containsEntry("currency", "JPY").containsEntry("card_network", "visa");
    assertThat(tx.get("amount_exponent")).isEqualTo(0);
    assertThat((String) tx.get("card_key")).startsWith("fingerprint:");
    UUID txId = (UUID) tx.get("id");
    assertThat(h.db.rows("SELECT key FROM transaction_keys WHERE transaction_id = ?", txId))
        .extracting(r -> r.get("key")).contains("invoice:in_1QtK9pLkdIwHu7ixMq2Jv8Yd", "charge:ch_3QtK9qLkdIwHu7ix0Dd4Rk7S");

    Map<String, Object> decision = h.db.decisions(txId).get(0);
    assertThat(decision).containsEntry("action", "SCHEDULE_RETRY").containsEntry("webhook_id", e.id());
    assertThat((String) decision.get("rule")).endsWith(" > policy:RETRY_LATER:retry#1");
    Instant due = Instant.parse("2025-03-01T23:30:00Z");   // RETRY_LATER's first offset (P1D), no jitter in tests
    assertThat(decision.get("next_attempt_at")).isEqualTo(due);

    List<Map<String, Object>> attempts = h.db.attempts(txId);
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0)).containsEntry("attempt_no", 1).containsEntry("status", "scheduled")
        .containsEntry("due_at", due).containsEntry("decision_id", decision.get("id"))
        .containsEntry("idempotency_key", "tinko:" + org + ":" + txId + ":1");
    assertThat(h.db.rows("SELECT outcome FROM card_attempts WHERE transaction_id = ? ORDER BY at", txId))
        .extracting(r -> r.get("outcome")).containsExactly("declined", "scheduled");
    assertThat(h.db.count("SELECT count(*) FROM webhook_events WHERE id = ? AND processed_at IS NOT NULL", e.id()))
        .isEqualTo(1);
  }

  @Test
  @DisplayName("a re-dispatched copy of a processed event, and a second event of the same decline, add nothing")
  void duplicatesHaveNoSecondEffect() {
    String ep = h.db.connection(org, "stripe", null, null);
    InboundEvent e = h.db.store(ep, org, "stripe", "charge.failed", Events.fixture("stripe/charge.failed.json"));
    h.process(e);
    h.process(new InboundEvent(e.id(), e.receivedAt(), e.endpointId(), e.orgId(), e.psp(), e.eventId(),
        e.eventType(), e.rawBody(), 1));
    h.process(h.db.store(ep, org, "stripe", "charge.failed", Events.fixture("stripe/charge.failed.json")));

    assertThat(h.db.transactions(org)).hasSize(1);
    UUID txId = (UUID) h.db.transactions(org).get(0).get("id");
    assertThat(h.db.decisions(txId)).hasSize(1);
    assertThat(h.db.attempts(txId)).hasSize(1);
    assertThat(h.db.count("SELECT count(*) FROM card_attempts WHERE transaction_id = ? AND outcome = 'declined'", txId))
        .isEqualTo(1);
  }

  @Test
  @DisplayName("an event type the engine does not act on is marked processed and changes nothing else")
  void unknownTypeIsOnlyMarked() {
    String ep = h.db.connection(org, "stripe", null, null);
    InboundEvent e = h.db.store(ep, org, "stripe", "customer.created",
        "{\"type\":\"customer.created\",\"created\":1740785400,\"data\":{\"object\":{\"id\":\"cus_1\"}}}".getBytes());
    InboundEvent garbage = h.db.store(ep, org, "stripe", "charge.failed", "not json".getBytes());
    h.process(e, garbage);

    assertThat(h.db.count("SELECT count(*) FROM webhook_events WHERE org_id = ? AND processed_at IS NOT NULL", org))
        .isEqualTo(2);
    assertThat(h.db.transactions(org)).isEmpty();
    assertThat(h.registry.counter("tinko_engine_events_invalid").count()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("a code the table does not know is counted by code and gets the conservative UNKNOWN policy")
  void unknownCodeCounted() {
    String ep = h.db.connection(org, "sandbox", null, null);
    h.process(h.db.store(ep, org, "sandbox", "payment.failed",
        Events.failed("k1").invoice("in_k1").set("decline_code", "zz_never_seen").at(CHARGE_FAILED_AT).body()));

    UUID txId = (UUID) h.db.transactions(org).get(0).get("id");
    assertThat((String) h.db.decisions(txId).get(0).get("rule")).isEqualTo("default:unknown > policy:UNKNOWN:retry#1");
    assertThat(h.registry.counter("tinko_engine_unknown_decline_codes", "psp", "sandbox", "code", "zz_never_seen")
        .count()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("a payment Tinko cannot charge itself gets a customer action and no attempt, and the rule says why")
  void notChargeableAsksTheCustomer() {
    String ep = h.db.connection(org, "standard", null, null);
    h.process(h.db.store(ep, org, "standard", "payment.failed", Events.fixture("standard/payment.failed.json")));

    Map<String, Object> tx = h.db.transactions(org).get(0);
    assertThat(tx).containsEntry("status", "action_required");
    Map<String, Object> d = h.db.decisions((UUID) tx.get("id")).get(0);
    assertThat(d).containsEntry("action", "REQUEST_CUSTOMER_ACTION").containsEntry("notify_customer", true);
    assertThat((String) d.get("rule")).endsWith("> execute:no_psp_api");
    assertThat(h.db.attempts((UUID) tx.get("id"))).isEmpty();
  }

  @Test
  @DisplayName("while the PSP announces its own retry, Tinko waits for it instead of charging in parallel")
  void waitsForThePspsOwnRetry() {
    String ep = h.db.connection(org, "stripe", null, null);
    h.process(h.db.store(ep, org, "stripe", "invoice.payment_failed",
        Events.fixture("stripe/invoice.payment_failed.json")));

    Map<String, Object> tx = h.db.transactions(org).get(0);
    assertThat(tx).containsEntry("status", "retrying")
        .containsEntry("psp_next_retry_at", Instant.ofEpochSecond(1738573200));
    assertThat(h.db.decisions((UUID) tx.get("id"))).extracting(r -> r.get("action")).containsExactly("AWAIT_PSP_RETRY");
    assertThat(h.db.attempts((UUID) tx.get("id"))).isEmpty();
  }

  @Test
  @DisplayName("two failed invoices of one Stripe subscription are two transactions")
  void invoicesOfOneSubscriptionStayApart() {
    String ep = h.db.connection(org, "stripe", null, null);
    for (String invoice : new String[] {"in_month1", "in_month2"}) {
      h.process(h.db.store(ep, org, "stripe", "invoice.payment_failed", Events.fixture(
          "stripe/invoice.payment_failed.json", "in_1QnB2aLkdIwHu7ixVb3nR8tE", invoice,
          "ch_3QnB2bLkdIwHu7ix1Xy8GhQw", "ch_" + invoice, "pi_3QnB2bLkdIwHu7ix1wQkLp2s", "pi_" + invoice)));
    }
    assertThat(h.db.transactions(org)).extracting(r -> r.get("invoice_id")).containsExactly("in_month1", "in_month2");
  }

  @Test
  @DisplayName("an echo naming the card more precisely moves the card history to it, reclassified with its codes")
  void echoRekeysAndReclassifiesHistory() {
    String ep = h.db.connection(org, "sandbox", null, null);
    Instant t = CHARGE_FAILED_AT;
    h.process(h.db.store(ep, org, "sandbox", "payment.failed", Events.failed("rk").invoice("in_rk")
        .set("customer_id", "cus_rk").at(t).body()));
    h.process(h.db.store(ep, org, "sandbox", "payment.failed", Events.failed("rk").invoice("in_rk")
        .set("customer_id", "cus_rk").card("visa", "fp_rk").decline("insufficient_funds").at(t.plusSeconds(2)).body()));

    assertThat(h.db.rows("SELECT card_key, outcome, decline_class FROM card_attempts WHERE org_id = ? ORDER BY at", org))
        .extracting(r -> r.get("card_key"), r -> r.get("outcome"), r -> r.get("decline_class"))
        .containsExactly(tuple("fingerprint:fp_rk", "declined", "RETRY_LATER"),
            tuple("fingerprint:fp_rk", "scheduled", null));
  }
}
