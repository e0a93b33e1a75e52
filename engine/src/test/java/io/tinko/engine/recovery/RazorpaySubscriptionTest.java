package io.tinko.engine.recovery;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * A Razorpay subscription cycle: payment.failed names the invoice, subscription.pending/halted name only the
 * subscription, subscription.charged names both. They share no key; the customer links the first two, the
 * subscription id the rest. Razorpay retries by itself until it halts, and only then does Tinko charge.
 */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class RazorpaySubscriptionTest {
  private EngineHarness h;
  private UUID org;
  private String ep;

  @BeforeEach
  void setUp(Vertx vertx, TestDatabase database) {
    h = new EngineHarness(vertx, database, Instant.ofEpochSecond(1740787300 + 60));
    org = h.db.organization("Asia/Kolkata");
    ep = h.db.connection(org, "razorpay", null, null);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private void process(String type, byte[] body) {
    h.process(h.db.store(ep, org, "razorpay", type, body));
  }

  private List<Object> actions(UUID tx) {
    return h.db.decisions(tx).stream().map(r -> r.get("action")).toList();
  }

  @Test
  @DisplayName("failed, pending, halted, charged: one transaction; Tinko waits for Razorpay, retries after the halt, "
      + "and the charge closes it")
  void oneCycleOneTransaction() {
    process("payment.failed", Events.fixture("razorpay/payment.failed.json", "\"invoice_id\": null",
        "\"invoice_id\": \"inv_Q2cB0aZ9yX8wV7\"", "\"token_id\": null", "\"token_id\": \"token_PzQ5rT1aB2cD3e\"",
        "\"created_at\": 1738314000", "\"created_at\": 1740787300"));
    UUID tx = (UUID) h.db.transactions(org).get(0).get("id");
    assertThat(actions(tx)).containsExactly("AWAIT_PSP_RETRY");

    process("subscription.pending", Events.fixture("razorpay/subscription.pending.json"));
    assertThat(h.db.transactions(org)).hasSize(1);
    assertThat(h.db.transactions(org).get(0)).containsEntry("subscription_id", "sub_Q1bC2dE3fG4hI5")
        .containsEntry("status", "retrying");
    assertThat(actions(tx)).containsExactly("AWAIT_PSP_RETRY", "AWAIT_PSP_RETRY");

    h.clock.set(Instant.ofEpochSecond(1741082400 + 60));
    process("subscription.halted", Events.fixture("razorpay/subscription.halted.json"));
    assertThat(h.db.transactions(org)).hasSize(1);
    Map<String, Object> halted = h.db.decisions(tx).get(2);
    assertThat(halted).containsEntry("action", "SCHEDULE_RETRY");
    assertThat((String) halted.get("rule")).startsWith("table:razorpay:insufficient_funds > policy:RETRY_LATER");
    assertThat(h.db.attempts(tx)).extracting(r -> r.get("status")).containsExactly("scheduled");

    process("subscription.charged", Events.fixture("razorpay/subscription.charged.json"));
    assertThat(h.db.transactions(org)).hasSize(1);
    assertThat(h.db.transactions(org).get(0)).containsEntry("status", "recovered")
        .containsEntry("recovered_by", "psp_retry");
    assertThat(h.db.attempts(tx)).extracting(r -> r.get("status")).containsExactly("cancelled");
  }

  @Test
  @DisplayName("a subscription event with no payment creates a transaction without an amount, never charged blindly")
  void subscriptionOnlyEventHasNoAmount() {
    h.clock.set(Instant.ofEpochSecond(1741082400 + 60));
    process("subscription.halted", Events.fixture("razorpay/subscription.halted.json"));
    Map<String, Object> tx = h.db.transactions(org).get(0);
    assertThat(tx.get("amount_minor")).isNull();
    assertThat(tx).containsEntry("status", "action_required");
    assertThat((String) h.db.decisions((UUID) tx.get("id")).get(0).get("rule")).endsWith("> execute:no_saved_token");
  }
}
