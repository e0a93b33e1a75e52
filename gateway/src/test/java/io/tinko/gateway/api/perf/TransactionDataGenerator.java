package io.tinko.gateway.api.perf;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Benchmark data for GET /v1/transactions: {@code rowsPerTenant} transactions for the organisation of a registered
 * merchant plus {@code others} other organisations of the same size, interleaved in insertion order as a shared
 * table fills in production (no tenant gets a physically clustered heap), spread over the last 365 days with every
 * status, PSP, decline class, currency and a wide amount range. Set-based: one INSERT ... SELECT generate_series per
 * million rows; the table's secondary indexes (those not backing a constraint) are dropped for the load and rebuilt
 * from their own definitions afterwards, which is several times faster than maintaining them row by row. Meant for a
 * fresh benchmark database. Self-contained, so it runs as a single-file program with only the JDBC driver:
 *
 * <pre>
 * java -cp ~/.m2/repository/org/postgresql/postgresql/42.7.14/postgresql-42.7.14.jar \
 *   gateway/src/test/java/io/tinko/gateway/api/perf/TransactionDataGenerator.java \
 *   postgresql://user:pw@127.0.0.1:5432/tinko merchant@example.com [rowsPerTenant=1000000] [others=10]
 * </pre>
 */
public final class TransactionDataGenerator {
  private static final String INSERT = """
      INSERT INTO transactions (id, org_id, psp, endpoint_id, psp_payment_key, invoice_id, customer_id, customer_email,
                                amount_minor, currency, card_network, status, decline_class, decline_code,
                                failed_at, last_event_at, created_at, updated_at)
      SELECT gen_random_uuid(), orgs[1 + i % cardinality(orgs)],
             (ARRAY['stripe','razorpay','standard','paypal'])[1 + (i / 11) % 4],
             'ep_perf_' || ((i / 11) % 4), 'pk_' || i, 'in_' || i, 'cus_' || (i % 100000),
             'c' || (i % 100000) || '@perf.example',
             100 + (i * 7919) % 100000,
             (ARRAY['USD','EUR','GBP','INR'])[1 + (i / 7) % 4],
             (ARRAY['visa','mastercard','amex'])[1 + i % 3],
             (ARRAY['failed','retrying','recovered','action_required','given_up','merchant_action'])[1 + (i * 31) % 6],
             (ARRAY['RETRY_LATER','TECHNICAL','FIX_DATA','AUTH_REQUIRED','CUSTOMER_ENABLE','NEVER',
                    'MERCHANT_CONFIG'])[1 + (i * 17) % 7],
             'do_not_honor', ts, ts, ts, ts
        FROM generate_series(?::bigint, ?::bigint) AS i,
             LATERAL (SELECT now() - ((? - i) / cardinality(?::uuid[])) * interval '1 second' * ? AS ts) AS t,
             LATERAL (SELECT ?::uuid[] AS orgs) AS o""";

  private TransactionDataGenerator() {}

  /** Drops the indexes of transactions that no constraint owns and returns their CREATE statements. */
  private static List<String> dropSecondaryIndexes(Connection c) throws Exception {
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

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: TransactionDataGenerator <postgresql://...> <merchant email> [rowsPerTenant] [others]");
      System.exit(2);
    }
    URI uri = URI.create(args[0]);
    String[] userInfo = uri.getUserInfo() == null ? new String[] {"postgres", ""} : uri.getUserInfo().split(":", 2);
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort())
        + uri.getPath();
    long perTenant = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000L;
    int others = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    try (Connection c = DriverManager.getConnection(jdbc, userInfo[0], userInfo.length > 1 ? userInfo[1] : "")) {
      List<UUID> orgs = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT org_id FROM users WHERE lower(email) = lower(?)")) {
        ps.setString(1, args[1]);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalArgumentException("no user " + args[1] + "; register the merchant first");
          }
          orgs.add((UUID) rs.getObject(1));
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
      List<String> indexes = dropSecondaryIndexes(c);
      long total = perTenant * orgs.size();
      // one year of history for each tenant, whatever its size
      double secondsPerRow = 365.0 * 86400 / perTenant;
      long start = System.nanoTime();
      long chunk = 1_000_000;
      for (long from = 0; from < total; from += chunk) {
        long to = Math.min(total, from + chunk) - 1;
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
          java.sql.Array arr = c.createArrayOf("uuid", orgs.toArray());
          ps.setLong(1, from);
          ps.setLong(2, to);
          ps.setLong(3, total);
          ps.setArray(4, arr);
          ps.setDouble(5, secondsPerRow);
          ps.setArray(6, arr);
          ps.executeUpdate();
        }
        System.out.printf("%,d / %,d rows (%.0f s)%n", to + 1, total, (System.nanoTime() - start) / 1e9);
      }
      try (Statement s = c.createStatement()) {
        for (String def : indexes) {
          s.execute(def);
          System.out.printf("rebuilt: %s (%.0f s)%n", def, (System.nanoTime() - start) / 1e9);
        }
        s.execute("VACUUM (ANALYZE) transactions");
      }
      System.out.printf("done: %,d transactions in %d tenants; the merchant's org is %s (%.0f s)%n", total,
          orgs.size(), orgs.get(0), (System.nanoTime() - start) / 1e9);
    }
  }
}
