package io.tinko.engine.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.bus.InboundEvent;
import io.tinko.engine.support.Await;
import io.tinko.engine.support.EngineHarness;
import io.tinko.engine.support.Events;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine's rows name their transaction without a foreign key (V12): the pipeline writes a transaction before, and
 * in the same database transaction as, the keys, decisions, attempts and enrolments that name it, and never deletes
 * one. This holds that by construction: every PSP fixture, in shuffled groups, reversed, and again as duplicates,
 * leaves no row naming a transaction that does not exist.
 */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class PipelineIntegrityTest {
  private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
  /** Every table whose transaction_id the engine writes, with the foreign key it no longer has or never had. */
  private static final List<String> NAMING_TABLES = List.of("transaction_keys", "decisions", "dunning_enrolments",
      "recovery_attempts", "card_attempts");
  private EngineHarness h;

  @BeforeEach
  void setUp(Vertx vertx, TestDatabase database) {
    h = new EngineHarness(vertx, database, NOW);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private record Fixture(String psp, String type, byte[] body) {}

  private static List<Fixture> fixtures() throws IOException {
    List<Fixture> out = new ArrayList<>();
    for (String psp : List.of("stripe", "razorpay", "paypal", "standard")) {
      try (Stream<Path> files = Files.list(Path.of("src/test/resources/fixtures", psp))) {
        for (Path f : files.sorted().toList()) {
          String name = f.getFileName().toString().replace(".json", "");
          String type = name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
          out.add(new Fixture(psp, type, Files.readAllBytes(f)));
        }
      }
    }
    return out;
  }

  private List<InboundEvent> storeAll(UUID org, List<Fixture> fixtures) {
    List<InboundEvent> stored = new ArrayList<>();
    for (String psp : List.of("stripe", "razorpay", "paypal", "standard")) {
      String ep = h.db.connection(org, psp, null, null);
      for (Fixture f : fixtures) {
        if (f.psp().equals(psp)) {
          stored.add(h.db.store(ep, org, psp, f.type(), f.body()));
        }
      }
    }
    return stored;
  }

  private long orphans(String table) {
    return h.db.count("SELECT count(*) FROM " + table + " x WHERE x.transaction_id IS NOT NULL"
        + " AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.id = x.transaction_id)");
  }

  @Test
  @DisplayName("no key, decision, attempt, card row or enrolment names a missing transaction, whatever the order")
  void everyRowNamesAnExistingTransaction() throws IOException {
    List<Fixture> fixtures = fixtures();
    Random random = new Random(42);
    for (int round = 0; round < 4; round++) {
      UUID org = h.db.organization("Europe/Berlin");
      List<InboundEvent> stored = storeAll(org, fixtures);
      List<InboundEvent> order = new ArrayList<>(stored);
      if (round == 1) {
        Collections.reverse(order);
      } else if (round > 1) {
        Collections.shuffle(order, random);
      }
      if (round % 2 == 0) {
        Await.await(h.newPipeline().process(order));
      } else {
        for (InboundEvent e : order) {
          h.process(e);
        }
      }
      h.clock.advance(Duration.ofHours(2));
      // duplicates: the same stored events again, as re-dispatched copies (no second effect)
      Await.await(h.newPipeline().process(stored));
      assertThat(h.db.count("SELECT count(*) FROM transactions WHERE org_id = ?", org)).isPositive();
    }
    assertThat(h.db.count("SELECT count(*) FROM decisions")).isPositive();
    assertThat(h.db.count("SELECT count(*) FROM transaction_keys")).isPositive();
    for (String table : NAMING_TABLES) {
      assertThat(orphans(table)).as("rows of %s naming a missing transaction", table).isZero();
    }
    for (Map<String, Object> k : h.db.rows("SELECT k.org_id, t.org_id AS tx_org FROM transaction_keys k "
        + "JOIN transactions t ON t.id = k.transaction_id")) {
      assertThat(k.get("org_id")).as("a key names a transaction of its own tenant").isEqualTo(k.get("tx_org"));
    }
  }

  @Test
  @DisplayName("the foreign keys V12 dropped are gone, and the other references to transactions stay")
  void foreignKeysAsDocumented() {
    List<Map<String, Object>> fks = h.db.rows("SELECT conrelid::regclass::text AS tbl FROM pg_constraint "
        + "WHERE contype = 'f' AND confrelid = 'transactions'::regclass ORDER BY 1");
    assertThat(fks).extracting(r -> r.get("tbl"))
        .doesNotContain("transaction_keys", "decisions", "dunning_enrolments")
        .contains("dunning_steps", "recovery_links");
  }
}
