package io.tinko.engine.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.domain.Psp;
import io.tinko.engine.recovery.ChargeResult;
import io.tinko.engine.support.Await;
import io.tinko.engine.support.EngineHarness;
import io.tinko.engine.support.Events;
import io.tinko.engine.support.ExecutorHarness;
import io.tinko.fakes.Ledger;
import io.tinko.fakes.Step;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Stripe attempts through stripe-java against the local fake Stripe: approvals, declines, 5xx, timeouts, crashes. */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class StripeExecutorTest {
  private static final Instant FAILED = Instant.ofEpochSecond(1740785400);   // charge.failed fixture
  private static final Instant DUE = Instant.parse("2025-03-01T23:30:00Z");
  private static final String INVOICE = "in_1QtK9pLkdIwHu7ixMq2Jv8Yd";
  private EngineHarness h;
  private ExecutorHarness x;
  private UUID org;
  private UUID tx;
  private String key;

  @BeforeEach
  void setUp(Vertx vertx, TestDatabase database) {
    h = new EngineHarness(vertx, database, FAILED.plusSeconds(60));
    x = new ExecutorHarness(h);
    org = h.db.organization("UTC");
    String ep = x.connection(org, "stripe");
    h.process(h.db.store(ep, org, "stripe", "charge.failed", Events.fixture("stripe/charge.failed.json")));
    tx = (UUID) h.db.transactions(org).get(0).get("id");
    key = "tinko:" + org + ":" + tx + ":1";
  }

  @AfterEach
  void tearDown() {
    x.close();
    h.close();
  }

  private Map<String, Object> transaction() {
    return h.db.transactions(org).get(0);
  }

  private List<Object> attemptStatuses() {
    return h.db.attempts(tx).stream().map(r -> r.get("status")).toList();
  }

  @Test
  @DisplayName("nothing runs before its due time; an approval recovers the transaction by retry, charging once")
  void approvalRecoversByRetry() {
    assertThat(x.run()).isZero();
    h.clock.set(DUE.plusSeconds(1));
    assertThat(x.run()).isEqualTo(1);

    assertThat(transaction()).containsEntry("status", "recovered").containsEntry("recovered_by", "retry")
        .containsEntry("retries_made", 1);
    assertThat(h.db.attempts(tx).get(0)).containsEntry("status", "succeeded").containsEntry("calls", 1)
        .containsEntry("outcome_code", "approved");
    assertThat(x.fakes.stripe().ledger().charges(key)).isEqualTo(1);
    assertThat(x.fakes.stripe().statusOf(INVOICE)).isEqualTo("paid");
    assertThat(x.run()).isZero();
  }

  @Test
  @DisplayName("a soft decline is reclassified with its new codes and the next retry is scheduled under a new key")
  void softDeclineReschedules() {
    x.fakes.stripe().script(INVOICE, Step.decline("card_declined", "insufficient_funds"));
    h.clock.set(DUE.plusSeconds(1));
    x.run();

    assertThat(attemptStatuses()).containsExactly("declined", "scheduled");
    Map<String, Object> second = h.db.attempts(tx).get(1);
    assertThat(second.get("idempotency_key")).isEqualTo("tinko:" + org + ":" + tx + ":2");
    assertThat(second.get("due_at")).isEqualTo(FAILED.plus(Duration.ofDays(2)));   // RETRY_LATER's second offset
    assertThat(transaction()).containsEntry("status", "retrying").containsEntry("decline_code", "insufficient_funds")
        .containsEntry("retries_made", 1);
    assertThat((String) h.db.decisions(tx).get(1).get("rule"))
        .isEqualTo("table:stripe:insufficient_funds > policy:RETRY_LATER:retry#2");
    assertThat(x.fakes.stripe().ledger().declines(key)).isEqualTo(1);
  }

  @Test
  @DisplayName("an expired card stops the retries and asks the customer to update it")
  void hardDeclineStops() {
    x.fakes.stripe().script(INVOICE, Step.decline("expired_card", null));
    h.clock.set(DUE.plusSeconds(1));
    x.run();

    assertThat(attemptStatuses()).containsExactly("declined");
    assertThat(transaction()).containsEntry("status", "action_required").containsEntry("decline_class", "FIX_DATA");
    assertThat(h.db.decisions(tx).get(1)).containsEntry("action", "REQUEST_CUSTOMER_ACTION");
  }

  @Test
  @DisplayName("a timeout after Stripe charged: the same attempt is resent with the same key and replayed, one charge")
  void timeoutResendsTheSameKey() {
    x.fakes.stripe().script(INVOICE, Step.slowApprove(3 * ExecutorHarness.TIMEOUT_MS));
    h.clock.set(DUE.plusSeconds(1));
    x.run();
    assertThat(h.db.attempts(tx).get(0)).containsEntry("status", "scheduled").containsEntry("calls", 1)
        .containsEntry("outcome_code", "timeout").containsEntry("idempotency_key", key);

    h.clock.advance(Duration.ofSeconds(61));
    x.run();
    assertThat(attemptStatuses()).containsExactly("succeeded");
    assertThat(h.db.attempts(tx).get(0)).containsEntry("calls", 2);
    Ledger ledger = x.fakes.stripe().ledger();
    assertThat(ledger.requests(key)).isEqualTo(2);
    assertThat(ledger.charges(key)).isEqualTo(1);
    assertThat(ledger.charges()).hasSize(1);
    // one attempt made, however often it was sent (analytics counts attempts made from this column)
    assertThat(transaction()).containsEntry("recovered_by", "retry").containsEntry("retries_made", 1);
  }

  @Test
  @DisplayName("a 500 is replayed for its key by Stripe: resent with the same key, then a new attempt gets through once")
  void serverErrorResendsThenNewAttempt() {
    x.fakes.stripe().script(INVOICE, Step.serverError(500));
    h.clock.set(DUE.plusSeconds(1));
    for (int send = 1; send <= 4; send++) {
      x.run();
      h.clock.advance(Duration.ofHours(1));
    }
    assertThat(attemptStatuses()).containsExactly("error", "scheduled");
    assertThat(x.fakes.stripe().ledger().requests(key)).isEqualTo(4);
    assertThat(x.fakes.stripe().ledger().charges(key)).isZero();
    assertThat((String) h.db.decisions(tx).get(1).get("rule")).startsWith("execute:unknown_outcome > policy:TECHNICAL");

    h.clock.advance(Duration.ofDays(1));
    x.run();
    assertThat(attemptStatuses()).containsExactly("error", "succeeded");
    assertThat(x.fakes.stripe().ledger().charges()).hasSize(1);
    assertThat(transaction()).containsEntry("status", "recovered").containsEntry("recovered_by", "retry")
        .containsEntry("retries_made", 2);   // the one without an answer after its resends, and the approved one
  }

  @Test
  @DisplayName("the engine dies between claiming and recording: after the lease the same key is sent, one charge")
  void crashBetweenClaimAndRecord() {
    PspClient stripe = new StripePspClient(h.vertx, ExecutorHarness.TIMEOUT_MS, null);
    // charges at Stripe, then never records anything: the process "died" with the claim held
    PspClients dying = new PspClients(Map.of(Psp.STRIPE,
        c -> stripe.charge(c).compose(r -> Promise.<ChargeResult>promise().future())));
    h.clock.set(DUE.plusSeconds(1));
    x.executor(dying).runOnce();
    await(() -> x.fakes.stripe().ledger().charges(key) == 1);
    assertThat(attemptStatuses()).containsExactly("running");

    h.clock.advance(ExecutorHarness.LEASE.minusSeconds(1));
    assertThat(x.run()).as("the claim still holds within its lease").isZero();
    h.clock.advance(Duration.ofSeconds(2));
    assertThat(x.run()).isEqualTo(1);

    assertThat(attemptStatuses()).containsExactly("succeeded");
    assertThat(x.fakes.stripe().ledger().requests(key)).isEqualTo(2);
    assertThat(x.fakes.stripe().ledger().charges(key)).isEqualTo(1);
    assertThat(transaction()).containsEntry("status", "recovered").containsEntry("recovered_by", "retry");
  }

  @Test
  @DisplayName("an outcome from a claim another executor took over after the lease is dropped, not recorded twice")
  void lostLeaseIsNotRecorded() {
    Promise<ChargeResult> slow = Promise.promise();
    PspClients stuck = new PspClients(Map.of(Psp.STRIPE, c -> slow.future()));
    h.clock.set(DUE.plusSeconds(1));
    var first = x.executor(stuck).runOnce();
    await(() -> attemptStatuses().equals(List.of("running")));
    h.clock.advance(ExecutorHarness.LEASE.plusSeconds(1));
    assertThat(x.run()).isEqualTo(1);
    slow.complete(ChargeResult.approved("in_late"));
    Await.await(first);

    assertThat(attemptStatuses()).containsExactly("succeeded");
    assertThat(h.db.decisions(tx)).extracting(r -> r.get("action")).containsExactly("SCHEDULE_RETRY", "RECOVERED");
    assertThat(h.db.attempts(tx).get(0)).containsEntry("calls", 2);
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition::getAsBoolean);
  }
}
