package io.tinko.engine.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.engine.support.Await;
import io.tinko.engine.support.EngineHarness;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, PostgresExtension.class})
class HousekeeperTest {

  @Test
  @DisplayName("card history past the limits' window and old remembered successes are forgotten; plans are kept")
  void forgetsWhatNoRuleReads(Vertx vertx, TestDatabase database) {
    Instant now = Instant.parse("2026-06-15T12:00:00Z");
    try (EngineHarness h = new EngineHarness(vertx, database, now)) {
      UUID org = h.db.organization("UTC");
      card(h, org, now.minus(Duration.ofDays(31)), "declined");
      card(h, org, now.minus(Duration.ofDays(29)), "declined");
      card(h, org, now.minus(Duration.ofDays(40)), "scheduled");
      success(h, org, now.minus(Duration.ofDays(36)));
      success(h, org, now.minus(Duration.ofDays(34)));

      Housekeeper keeper = new Housekeeper(h.pool, h.clock, Duration.ofDays(30), Duration.ofDays(35), 3_600_000);
      assertThat(Await.await(keeper.run())).isEqualTo(2);
      assertThat(h.db.count("SELECT count(*) FROM card_attempts WHERE org_id = ?", org)).isEqualTo(2);
      assertThat(h.db.count("SELECT count(*) FROM card_attempts WHERE org_id = ? AND outcome = 'scheduled'", org))
          .isEqualTo(1);
      assertThat(h.db.count("SELECT count(*) FROM payment_successes WHERE org_id = ?", org)).isEqualTo(1);
    }
  }

  private static void card(EngineHarness h, UUID org, Instant at, String outcome) {
    h.db.execute("INSERT INTO card_attempts (id, org_id, card_key, at, outcome, reattempt) VALUES (?, ?, 'fp', ?, ?, true)",
        UUID.randomUUID(), org, Timestamp.from(at), outcome);
  }

  private static void success(EngineHarness h, UUID org, Instant at) {
    h.db.execute("INSERT INTO payment_successes (org_id, psp, key, occurred_at, webhook_id) VALUES (?, 'stripe', ?, ?, ?)",
        org, "invoice:" + at, Timestamp.from(at), UUID.randomUUID());
  }
}
