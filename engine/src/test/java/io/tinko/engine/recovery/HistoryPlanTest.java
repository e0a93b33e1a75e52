package io.tinko.engine.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.engine.support.EngineHarness;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The card-history read of every group must stay one index range per card, whatever the statistics say: with the
 * history window's size underestimated (a table grown since its last ANALYZE, as in any young database), a plain
 * join was planned as a scan of the whole window through {@code card_attempts_at_idx} hash-joined with the cards.
 */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class HistoryPlanTest {

  @Test
  @DisplayName("card histories are read per card through card_attempts_card_idx even with stale statistics")
  void perCardIndexRangesWithStaleStatistics(Vertx vertx, TestDatabase database) {
    Instant now = Instant.parse("2026-06-15T12:00:00Z");
    try (EngineHarness h = new EngineHarness(vertx, database, now)) {
      UUID org = h.db.organization("UTC");
      h.db.execute("ALTER TABLE card_attempts SET (autovacuum_enabled = false)");
      // analyzed while small ...
      insert(h, org, 1, 200);
      h.db.execute("ANALYZE card_attempts");
      // ... then grown 250-fold within the window, as during a burst
      insert(h, org, 201, 50_000);

      String cards = IntStream.range(0, 256).mapToObj(i -> "\"fp" + i + "\"").collect(Collectors.joining(",", "'{", "}'"));
      String orgs = IntStream.range(0, 256).mapToObj(i -> org.toString()).collect(Collectors.joining(",", "'{", "}'"));
      String sql = StateLoader.HISTORY.replace("$1::uuid[]", orgs + "::uuid[]").replace("$2::text[]", cards + "::text[]")
          .replace("$3::uuid[]", "'{}'::uuid[]").replace("$4", "'2026-05-16T12:00:00Z'::timestamptz");
      String plan = h.db.rows("EXPLAIN " + sql).stream().map(r -> (String) r.values().iterator().next())
          .collect(Collectors.joining("\n"));
      assertThat(plan).contains("card_attempts_card_idx").doesNotContain("card_attempts_at_idx")
          .doesNotContain("Seq Scan on card_attempts").doesNotContain("Hash Join");

      // the rows: every attempt of the 256 cards inside the window, none outside it, none of other cards
      long expected = h.db.count("SELECT count(*) FROM card_attempts WHERE org_id = ? AND card_key ~ '^fp([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$'"
          + " AND at > '2026-05-16T12:00:00Z'", org);
      assertThat(expected).isGreaterThan(0);
      assertThat(h.db.count("SELECT count(*) FROM (" + sql + ") h")).isEqualTo(expected);
    }
  }

  /** Attempts {@code from..to} over 5,000 cards, one a minute back from 2026-06-15 (the older ones fall outside 30 days). */
  private static void insert(EngineHarness h, UUID org, int from, int to) {
    h.db.execute("INSERT INTO card_attempts (id, org_id, card_key, at, outcome, reattempt)"
        + " SELECT gen_random_uuid(), ?, 'fp' || (g % 5000), timestamptz '2026-06-15T12:00:00Z' - g * interval '1 minute',"
        + " 'declined', false FROM generate_series(?, ?) g", org, from, to);
  }
}
