package io.tinko.engine.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.engine.support.EngineDb;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The key look-up of every group ({@link RecoveryPipeline#KEYS}, built by {@link KeyProbe}) must stay one
 * primary-key probe per key, whatever plan Postgres caches for the prepared statement: the generic plan of the join
 * with unnest it used to be compared every key of the group with every row found once the table was analyzed.
 */
@ExtendWith(PostgresExtension.class)
class KeysPlanTest {

  @Test
  @DisplayName("keys are looked up by primary key, one probe each, in the generic plan of an analyzed table")
  void primaryKeyProbesInTheGenericPlan(TestDatabase database) throws Exception {
    EngineDb db = new EngineDb(database);
    UUID org = db.organization("UTC");
    UUID tx = UUID.randomUUID();   // (no foreign key to transactions since V12)
    // one tenant, one PSP, 60,000 keys: as the load test leaves the table, analyzed
    db.execute("INSERT INTO transaction_keys (org_id, psp, key, transaction_id)"
        + " SELECT ?, 'stripe', 'invoice:in_' || g, ? FROM generate_series(1, 60000) g", org, tx);
    db.execute("ANALYZE transaction_keys");

    String orgs = IntStream.range(0, 100).mapToObj(i -> org.toString()).collect(Collectors.joining(",", "'{", "}'"));
    String psps = IntStream.range(0, 100).mapToObj(i -> "stripe").collect(Collectors.joining(",", "'{", "}'"));
    String keys = IntStream.range(0, 100).mapToObj(i -> "invoice:in_" + (i * 7 + 1))
        .collect(Collectors.joining(",", "'{", "}'"));
    try (Connection c = database.jdbc(); Statement s = c.createStatement()) {
      s.execute("SET plan_cache_mode = force_generic_plan");
      s.execute("PREPARE keys(uuid[], text[], text[]) AS " + RecoveryPipeline.KEYS);
      String args = "(" + orgs + ", " + psps + ", " + keys + ")";
      List<String> plan = new ArrayList<>();
      try (ResultSet r = s.executeQuery("EXPLAIN EXECUTE keys" + args)) {
        while (r.next()) {
          plan.add(r.getString(1));
        }
      }
      String text = String.join("\n", plan);
      // one probe per key: the key's columns are the index condition, no filter compares keys with rows found
      assertThat(text).contains("transaction_keys_pkey").contains("Index Cond: ((org_id = i.org_id)")
          .doesNotContain("Join Filter").doesNotContain("Materialize").doesNotContain("Hash Join")
          .doesNotContain("Seq Scan on transaction_keys").doesNotContain("Bitmap Heap Scan on transaction_keys");

      // the rows: the 100 keys asked for, each with its transaction
      int found = 0;
      try (ResultSet r = s.executeQuery("EXECUTE keys" + args)) {
        while (r.next()) {
          assertThat(r.getObject("transaction_id")).isEqualTo(tx);
          assertThat(r.getString("psp")).isEqualTo("stripe");
          assertThat(r.getObject("org_id")).isEqualTo(org);
          found++;
        }
      }
      assertThat(found).isEqualTo(100);
    }
  }
}
