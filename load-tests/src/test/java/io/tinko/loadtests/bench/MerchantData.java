package io.tinko.loadtests.bench;

import io.tinko.loadtests.config.MerchantFeeder;
import io.tinko.loadtests.config.Params;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Benchmark data for GET /v1/transactions (issue 5: 1,000,000 transactions in the merchant's tenant and 10 other
 * tenants of the same size). Registers the load-test merchant ({@link MerchantFeeder#registerMerchant()}, the same
 * {@code -Dtinko.lt.*} properties as the simulation), then gives its organisation {@code --rows} transactions and
 * creates {@code --others} organisations of the same size, interleaved in insertion order as a shared table fills in
 * production (no tenant gets a physically clustered heap), spread over the last 365 days with every status, PSP,
 * decline class, currency and a wide amount range.
 *
 * <p>Set-based: one INSERT ... SELECT generate_series per million rows, straight into the running server's database.
 * The table's secondary indexes (those no constraint owns) are dropped for the load and rebuilt from their own
 * definitions afterwards (several times faster than maintaining them row by row), so the indexes the benchmark reads
 * are exactly the migrations' ones; then VACUUM ANALYZE, as autovacuum would have done by the time a table is this
 * big. Meant for a fresh benchmark database (load-tests/bench --merchant-data): it changes the table's indexes while
 * it runs.
 *
 * <p>Usage: {@code MerchantData --pg-url postgresql://user:pw@host:port/db [--rows 1000000] [--others 10]}
 * with {@code -Dtinko.lt.url=... -Dtinko.lt.runId=...} (or {@code -Dtinko.lt.merchant.email/password}).
 */
public final class MerchantData {
  // Attributes come from independent hashes of the row number (hashint8extended with a seed per attribute): taken
  // from i by arithmetic they were correlated (with 11 tenants, status and PSP only met in half of their pairs), and
  // an empty combination makes the list scan a whole index range, which is not what a benchmark of typical data shows.
  private static final String INSERT = """
      INSERT INTO transactions (id, org_id, psp, endpoint_id, psp_payment_key, invoice_id, customer_id, customer_email,
                                amount_minor, currency, card_network, status, decline_class, decline_code,
                                failed_at, last_event_at, created_at, updated_at)
      SELECT gen_random_uuid(), orgs[1 + i % cardinality(orgs)],
             (ARRAY['stripe','razorpay','standard','paypal'])[1 + h.psp],
             'ep_perf_' || h.psp, 'pk_' || i, 'in_' || i, 'cus_' || (i % 100000),
             'c' || (i % 100000) || '@perf.example',
             100 + h.amount,
             (ARRAY['USD','EUR','GBP','INR'])[1 + h.currency],
             (ARRAY['visa','mastercard','amex'])[1 + i % 3],
             (ARRAY['failed','retrying','recovered','action_required','given_up','merchant_action'])[1 + h.status],
             (ARRAY['RETRY_LATER','TECHNICAL','FIX_DATA','AUTH_REQUIRED','CUSTOMER_ENABLE','NEVER',
                    'MERCHANT_CONFIG'])[1 + h.class],
             'do_not_honor', ts, ts, ts, ts
        FROM (SELECT ?::uuid[] AS orgs) AS o,
             generate_series(?::bigint, ?::bigint) AS i,
             LATERAL (SELECT now() - ((? - i) / cardinality(orgs)) * interval '1 second' * ? AS ts) AS t,
             LATERAL (SELECT (hashint8extended(i, 1) & 2147483647) % 4 AS psp,
                             (hashint8extended(i, 2) & 2147483647) % 6 AS status,
                             (hashint8extended(i, 3) & 2147483647) % 7 AS class,
                             (hashint8extended(i, 4) & 2147483647) % 4 AS currency,
                             (hashint8extended(i, 5) & 2147483647) % 100000 AS amount) AS h""";

  private MerchantData() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Args.parse(args);
    if (!a.containsKey("pg-url")) {
      System.err.println("usage: MerchantData --pg-url postgresql://... [--rows 1000000] [--others 10]"
          + " (-Dtinko.lt.url=... to register the merchant)");
      System.exit(2);
    }
    long perTenant = Long.parseLong(a.getOrDefault("rows", "1000000"));
    int others = Integer.parseInt(a.getOrDefault("others", "10"));
    if (Params.MERCHANT_REGISTER) {
      MerchantFeeder.registerMerchant();
    }
    long start = System.nanoTime();
    try (Connection c = Audit.connect(a.get("pg-url"))) {
      List<UUID> orgs = new ArrayList<>();
      orgs.add(orgOf(c, Params.MERCHANT_EMAIL));
      try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM transactions WHERE org_id = ?)")) {
        ps.setObject(1, orgs.get(0));
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getBoolean(1)) {
            throw new IllegalStateException("the merchant " + Params.MERCHANT_EMAIL + " already has transactions");
          }
        }
      }
      for (int n = 0; n < others; n++) {
        UUID org = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO organizations (id, name) VALUES (?, ?)")) {
          ps.setObject(1, org);
          ps.setString(2, "Perf neighbour " + n);
          ps.executeUpdate();
        }
        orgs.add(org);
      }
      try (Statement s = c.createStatement()) {
        // a bulk load of generated rows: nothing to lose on a crash, and the index builds want memory
        s.execute("SET synchronous_commit = off");
        s.execute("SET maintenance_work_mem = '512MB'");
      }
      try (Statement s = c.createStatement()) {
        // every org_id is one of the organisations above: skip the per-row foreign-key trigger (superuser only,
        // as in bench's embedded Postgres; elsewhere the load just checks each row)
        s.execute("SET session_replication_role = replica");
      } catch (SQLException e) {
        System.out.println("merchant data: foreign keys checked row by row (" + e.getMessage().trim() + ")");
      }
      List<String> indexes = dropSecondaryIndexes(c);
      long total = perTenant * orgs.size();
      // one year of history for each tenant, whatever its size
      double secondsPerRow = 365.0 * 86400 / perTenant;
      long chunk = 1_000_000;
      for (long from = 0; from < total; from += chunk) {
        long to = Math.min(total, from + chunk) - 1;
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
          ps.setArray(1, c.createArrayOf("uuid", orgs.toArray()));
          ps.setLong(2, from);
          ps.setLong(3, to);
          ps.setLong(4, total);
          ps.setDouble(5, secondsPerRow);
          ps.executeUpdate();
        }
        System.out.printf("merchant data: %,d / %,d transactions (%.0f s)%n", to + 1, total, seconds(start));
      }
      try (Statement s = c.createStatement()) {
        for (String def : indexes) {
          s.execute(def);
          System.out.printf("merchant data: rebuilt %s (%.0f s)%n", def, seconds(start));
        }
        s.execute("RESET session_replication_role");
        s.execute("VACUUM (ANALYZE) transactions");
      }
      System.out.printf("merchant data: %,d transactions in %d tenants (%,d each), the merchant's org is %s;"
          + " loaded in %.0f s%n", total, orgs.size(), perTenant, orgs.get(0), seconds(start));
    }
  }

  private static UUID orgOf(Connection c, String email) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT org_id FROM users WHERE lower(email) = lower(?)")) {
      ps.setString(1, email);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no user " + email + "; register the merchant first");
        }
        return (UUID) rs.getObject(1);
      }
    }
  }

  /** Drops the indexes of transactions that no constraint owns and returns their CREATE statements. */
  private static List<String> dropSecondaryIndexes(Connection c) throws SQLException {
    List<String> defs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
        SELECT i.indexname, i.indexdef FROM pg_indexes i
         WHERE i.schemaname = current_schema() AND i.tablename = 'transactions'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)""")) {
      while (rs.next()) {
        names.add(rs.getString(1));
        defs.add(rs.getString(2));
      }
    }
    try (Statement s = c.createStatement()) {
      for (String name : names) {
        s.execute("DROP INDEX " + name);
      }
    }
    return defs;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
