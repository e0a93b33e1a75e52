package io.tinko.engine.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.domain.Psp;
import io.tinko.engine.recovery.ChargeResult;
import io.tinko.engine.support.EngineHarness;
import io.tinko.engine.support.Events;
import io.tinko.engine.support.ExecutorHarness;
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

/** Razorpay and PayPal through the WebClient against their fakes, and the sandbox PSP across a month end. */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class OtherPspExecutorTest {
  private static final Instant RAZORPAY_DUE = Instant.parse("2025-02-01T09:00:00Z");
  private static final Instant PAYPAL_DUE = Instant.parse("2025-02-06T09:00:12Z");
  private static final String CUSTOMER = "cust_PzJ9wQ4eRt6YuI";
  private EngineHarness h;
  private ExecutorHarness x;
  private UUID org;

  @BeforeEach
  void setUp(Vertx vertx, TestDatabase database) {
    h = new EngineHarness(vertx, database, Instant.parse("2025-01-31T09:01:00Z"));
    x = new ExecutorHarness(h);
    org = h.db.organization("UTC");
  }

  @AfterEach
  void tearDown() {
    x.close();
    h.close();
  }

  private UUID razorpayFailure() {
    String ep = x.connection(org, "razorpay");
    h.process(h.db.store(ep, org, "razorpay", "payment.failed", Events.fixture("razorpay/payment.failed.json",
        "\"token_id\": null", "\"token_id\": \"token_Q1xYz9AbCdEf\"")));
    return (UUID) h.db.transactions(org).get(0).get("id");
  }

  private List<Object> statuses(UUID tx) {
    return h.db.attempts(tx).stream().map(r -> r.get("status")).toList();
  }

  @Test
  @DisplayName("Razorpay: an order per attempt, stored before the recurring charge; approval recovers by retry")
  void razorpayApproval() {
    UUID tx = razorpayFailure();
    h.clock.set(RAZORPAY_DUE.plusSeconds(1));
    assertThat(x.run()).isEqualTo(1);

    Map<String, Object> attempt = h.db.attempts(tx).get(0);
    assertThat(attempt).containsEntry("status", "succeeded");
    assertThat((String) attempt.get("psp_ref")).startsWith("pay_fake");
    assertThat(x.fakes.razorpay().orderCount()).isEqualTo(1);
    assertThat(x.fakes.razorpay().ledger().charges((String) attempt.get("idempotency_key"))).isEqualTo(1);
    assertThat(h.db.transactions(org).get(0)).containsEntry("status", "recovered").containsEntry("recovered_by", "retry");
  }

  @Test
  @DisplayName("Razorpay: a decline is reclassified from its error reason and the next retry scheduled")
  void razorpayDecline() {
    UUID tx = razorpayFailure();
    x.fakes.razorpay().script(CUSTOMER, Step.decline("BAD_REQUEST_ERROR", "insufficient_funds"));
    h.clock.set(RAZORPAY_DUE.plusSeconds(1));
    x.run();

    assertThat(statuses(tx)).containsExactly("declined", "scheduled");
    assertThat((String) h.db.decisions(tx).get(1).get("rule")).startsWith("table:razorpay:insufficient_funds > ");
  }

  @Test
  @DisplayName("Razorpay has no idempotency: a rerun after a crash asks the stored order first and never charges twice")
  void razorpayCrashIsGuardedByTheStoredOrder() {
    UUID tx = razorpayFailure();
    PspClient razorpay = new RazorpayPspClient(io.vertx.ext.web.client.WebClient.create(h.vertx),
        ExecutorHarness.TIMEOUT_MS);
    PspClients dying = new PspClients(Map.of(Psp.RAZORPAY,
        c -> razorpay.charge(c).compose(r -> Promise.<ChargeResult>promise().future())));
    h.clock.set(RAZORPAY_DUE.plusSeconds(1));
    x.executor(dying).runOnce();
    String key = (String) h.db.attempts(tx).get(0).get("idempotency_key");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> x.fakes.razorpay().ledger().charges(key) == 1);

    h.clock.advance(ExecutorHarness.LEASE.plusSeconds(1));
    assertThat(x.run()).isEqualTo(1);
    assertThat(statuses(tx)).containsExactly("succeeded");
    assertThat(x.fakes.razorpay().ledger().requests(key)).as("create/recurring called once").isEqualTo(1);
    assertThat(x.fakes.razorpay().ledger().charges(key)).isEqualTo(1);
    assertThat(x.fakes.razorpay().orderCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("PayPal: a 5xx did not execute; the resend with the same PayPal-Request-Id captures once")
  void paypalServerErrorThenCapture() {
    String ep = x.connection(org, "paypal");
    h.process(h.db.store(ep, org, "paypal", "PAYMENT.SALE.DENIED", Events.fixture("paypal/PAYMENT.SALE.DENIED.json")));
    UUID tx = (UUID) h.db.transactions(org).get(0).get("id");
    x.fakes.paypal().script("I-BW452GLLEP1G", Step.serverError(503));
    h.clock.set(PAYPAL_DUE.plusSeconds(1));
    x.run();
    Map<String, Object> attempt = h.db.attempts(tx).get(0);
    assertThat(attempt).containsEntry("status", "scheduled").containsEntry("outcome_code", "http_503");

    h.clock.advance(Duration.ofSeconds(61));
    x.run();
    String key = (String) attempt.get("idempotency_key");
    assertThat(statuses(tx)).containsExactly("succeeded");
    assertThat(x.fakes.paypal().ledger().requests(key)).isEqualTo(2);
    assertThat(x.fakes.paypal().ledger().charges(key)).isEqualTo(1);
    assertThat(x.fakes.paypal().ledger().charges().get(0).amountMinor()).isEqualTo(1000);
  }

  @Test
  @DisplayName("a retry planned across a month end is claimed only once it is due, in the next month")
  void scheduleAcrossMonthEnd() {
    String ep = x.connection(org, "sandbox");
    Instant failed = Instant.parse("2026-01-31T23:30:00Z");
    h.clock.set(failed.plusSeconds(5));
    h.process(h.db.store(ep, org, "sandbox", "payment.failed", Events.failed("me-1").invoice("in_me1")
        .decline("processing_error").at(failed).body()));
    UUID tx = (UUID) h.db.transactions(org).get(0).get("id");
    assertThat(h.db.attempts(tx).get(0).get("due_at")).isEqualTo(Instant.parse("2026-02-01T00:30:00Z"));

    h.clock.set(Instant.parse("2026-01-31T23:59:59Z"));
    assertThat(x.run()).isZero();
    h.clock.set(Instant.parse("2026-02-01T00:30:00Z"));
    assertThat(x.run()).isEqualTo(1);
    assertThat(statuses(tx)).containsExactly("succeeded");
    assertThat(x.fakes.stripe().ledger().charges()).extracting(c -> c.target()).containsExactly("in_me1");
  }
}
