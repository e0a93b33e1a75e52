package io.tinko.engine.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.engine.support.EngineHarness;
import io.tinko.engine.support.Events;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The card-network limits over the card history in Postgres: other payments on the same card count. */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class NetworkLimitsPipelineTest {
  private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");
  private EngineHarness h;
  private UUID org;
  private String ep;

  @BeforeEach
  void setUp(Vertx vertx, TestDatabase database) {
    h = new EngineHarness(vertx, database, T0.plusSeconds(10));
    org = h.db.organization("UTC");
    ep = h.db.connection(org, "sandbox", null, null);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private void history(String cardKey, int n, Instant from, Duration step, String declineClass) {
    for (int i = 0; i < n; i++) {
      h.db.execute("INSERT INTO card_attempts (id, org_id, card_key, at, outcome, reattempt, decline_class) "
          + "VALUES (?, ?, ?, ?, 'declined', true, ?)", UUID.randomUUID(), org, cardKey,
          Timestamp.from(from.plus(step.multipliedBy(i))), declineClass);
    }
  }

  private Map<String, Object> failAndDecide(String key, String network, String fingerprint, String code) {
    h.process(h.db.store(ep, org, "sandbox", "payment.failed", Events.failed(key).invoice("in_" + key)
        .card(network, fingerprint).decline(code).at(T0).body()));
    UUID tx = (UUID) h.db.row("SELECT id FROM transactions WHERE org_id = ? AND psp_payment_key = ?", org, "key:" + key)
        .get("id");
    return h.db.decisions(tx).get(0);
  }

  @Test
  @DisplayName("15 Visa reattempts on the card in 30 days: no retry is scheduled and the decision names the limit")
  void visaReattemptLimitForbids() {
    history("fingerprint:fp-visa", 15, T0.minus(Duration.ofDays(2)), Duration.ofHours(2), "RETRY_LATER");
    Map<String, Object> d = failAndDecide("v1", "visa", "fp-visa", "insufficient_funds");

    assertThat(d).containsEntry("action", "REQUEST_CUSTOMER_ACTION").containsEntry("network_limit", "visa.reattempts");
    assertThat((String) d.get("rule")).isEqualTo("table:stripe:insufficient_funds > limit:visa.reattempts");
    assertThat((String) d.get("reason")).contains("Visa allows at most 15 reattempts per card");
    assertThat(h.db.count("SELECT count(*) FROM recovery_attempts WHERE org_id = ?", org)).isZero();
  }

  @Test
  @DisplayName("a lost-card decline on another payment of the card blocks retries of this one")
  void neverClassBlocksTheCard() {
    history("fingerprint:fp-lost", 1, T0.minus(Duration.ofDays(3)), Duration.ZERO, "NEVER");
    Map<String, Object> d = failAndDecide("n1", "visa", "fp-lost", "insufficient_funds");

    assertThat(d).containsEntry("network_limit", "never_class");
    assertThat((String) d.get("rule")).endsWith("> limit:never_class");
    assertThat(h.db.count("SELECT count(*) FROM recovery_attempts WHERE org_id = ?", org)).isZero();
  }

  @Test
  @DisplayName("Mastercard's 10 declines in 24 h defer a technical retry until enough declines leave the window")
  void mastercardDeclinesDefer() {
    Instant first = T0.minus(Duration.ofMinutes(50));
    history("fingerprint:fp-mc", 10, first, Duration.ofMinutes(5), "RETRY_LATER");
    Map<String, Object> d = failAndDecide("m1", "mastercard", "fp-mc", "processing_error");

    assertThat(d).containsEntry("action", "SCHEDULE_RETRY").containsEntry("network_limit", "mastercard.declines");
    // 11 declines in the window now (10 + this one): the retry waits until the 2 oldest are 24 h old
    assertThat((Instant) d.get("next_attempt_at")).isEqualTo(first.plus(Duration.ofMinutes(5)).plus(Duration.ofDays(1)));
  }

  @Test
  @DisplayName("retries planned by other payments on the same card count against the limits")
  void plannedRetriesOfOtherPaymentsCount() {
    for (int i = 0; i < 16; i++) {
      failAndDecide("multi" + i, "visa", "fp-shared", "insufficient_funds");
    }
    assertThat(h.db.count("SELECT count(*) FROM card_attempts WHERE org_id = ? AND card_key = 'fingerprint:fp-shared' "
        + "AND outcome = 'scheduled'", org)).isEqualTo(h.db.count("SELECT count(*) FROM recovery_attempts WHERE org_id = ?"
        + " AND status = 'scheduled'", org));
    // 16 first failures (not reattempts) plus the planned retries: Visa counts the planned ones, at most 15 in 30 days
    assertThat(h.db.count("SELECT count(*) FROM recovery_attempts WHERE org_id = ? AND status = 'scheduled'", org))
        .isEqualTo(15);
    assertThat(h.db.count("SELECT count(*) FROM decisions WHERE org_id = ? AND network_limit = 'visa.reattempts'", org))
        .isGreaterThanOrEqualTo(1);
  }
}
