package io.tinko.loadtests.bench;

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
 * The query plans of GET /v1/transactions' first page (50 rows) for each filter the API offers, on the database bench
 * loaded ({@link MerchantData}): EXPLAIN (ANALYZE, BUFFERS) of the statement as the gateway builds it
 * (TransactionFilter: {@code org_id = $1 AND <filters> ORDER BY created_at DESC, id DESC LIMIT 51}), each as a custom
 * plan (the parameters' values known) and as the generic plan Postgres may switch to after five executions of a
 * cached prepared statement, which the gateway's pool uses. Prints per filter and plan kind: execution time, shared
 * buffers touched, and the plan's scan lines. Read-only.
 *
 * <p>Usage: {@code ListPlans --pg-url postgresql://... --email merchant@... [--runs 3] [--verbose]}.
 */
public final class ListPlans {
  private static final String COLUMNS = """
      id, psp, endpoint_id, status, decline_class, decline_code, amount_minor, currency, customer_id,
      customer_email, invoice_id, payment_id, subscription_id, card_network, failed_at, recovered_at, recovered_by,
      last_event_at, created_at, updated_at""";

  /** A filter of the API: its name as a query string, the SQL conditions after org_id, their types and values. */
  private record Filter(String query, String where, List<String> types, List<String> values) {}

  private ListPlans() {}

  private static List<Filter> filters() {   // $CURSOR_AT, $CURSOR_ID: a position deep in the merchant's failed
    List<Filter> f = new ArrayList<>();
    f.add(new Filter("(none)", "", List.of(), List.of()));
    f.add(new Filter("status=failed", " AND status = $2", List.of("text"), List.of("failed")));
    f.add(new Filter("psp=stripe", " AND psp = $2", List.of("text"), List.of("stripe")));
    // a PSP the tenant never used: since V15 read from the unique (org_id, psp, ...) key, not newest first
    f.add(new Filter("psp=adyen (no row)", " AND psp = $2", List.of("text"), List.of("adyen")));
    f.add(new Filter("declineClass=RETRY_LATER", " AND decline_class = $2", List.of("text"), List.of("RETRY_LATER")));
    f.add(new Filter("declineClass=UNKNOWN (no row)", " AND decline_class = $2", List.of("text"), List.of("UNKNOWN")));
    // currency is char(3): the gateway's parameter is typed from the column (bpchar), which its index needs
    f.add(new Filter("currency=EUR", " AND currency = $2", List.of("bpchar"), List.of("EUR")));
    f.add(new Filter("currency=JPY (no row)", " AND currency = $2", List.of("bpchar"), List.of("JPY")));
    f.add(new Filter("createdFrom=now-7d", " AND created_at >= $2", List.of("timestamptz"),
        List.of("now() - interval '7 days'")));
    f.add(new Filter("createdFrom=now-200d&createdTo=now-170d", " AND created_at >= $2 AND created_at < $3",
        List.of("timestamptz", "timestamptz"), List.of("now() - interval '200 days'", "now() - interval '170 days'")));
    f.add(new Filter("amountMin=1000&amountMax=1100", " AND amount_minor >= $2 AND amount_minor <= $3",
        List.of("bigint", "bigint"), List.of("1000", "1100")));
    f.add(new Filter("amountMin=1000&amountMax=50000", " AND amount_minor >= $2 AND amount_minor <= $3",
        List.of("bigint", "bigint"), List.of("1000", "50000")));
    f.add(new Filter("amountMin=99000", " AND amount_minor >= $2", List.of("bigint"), List.of("99000")));
    f.add(new Filter("amountMin=5000000 (above every amount)", " AND amount_minor >= $2", List.of("bigint"),
        List.of("5000000")));
    f.add(new Filter("psp=stripe&declineClass=TECHNICAL", " AND psp = $2 AND decline_class = $3",
        List.of("text", "text"), List.of("stripe", "TECHNICAL")));
    f.add(new Filter("status=recovered&psp=razorpay", " AND status = $2 AND psp = $3", List.of("text", "text"),
        List.of("recovered", "razorpay")));
    // a pair the engine keeps empty in real data (NEVER is never retried); uniform in the generated data
    f.add(new Filter("status=retrying&declineClass=NEVER", " AND status = $2 AND decline_class = $3",
        List.of("text", "text"), List.of("retrying", "NEVER")));
    f.add(new Filter("status=failed&currency=INR&amountMin=5000", " AND status = $2 AND currency = $3"
        + " AND amount_minor >= $4", List.of("text", "bpchar", "bigint"), List.of("failed", "INR", "5000")));
    f.add(new Filter("status=retrying&createdFrom=now-300d&createdTo=now-290d",
        " AND status = $2 AND created_at >= $3 AND created_at < $4", List.of("text", "timestamptz", "timestamptz"),
        List.of("retrying", "now() - interval '300 days'", "now() - interval '290 days'")));
    f.add(new Filter("status=failed&cursor=<after 100,000 rows>", " AND status = $2 AND (created_at, id) < ($3, $4)",
        List.of("text", "timestamptz", "uuid"), List.of("failed", "$CURSOR_AT", "$CURSOR_ID")));
    return f;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Args.parse(args);
    int runs = Integer.parseInt(a.getOrDefault("runs", "3"));
    boolean verbose = a.containsKey("verbose");
    try (Connection c = Audit.connect(a.get("pg-url")); Statement s = c.createStatement()) {
      UUID org;
      try (PreparedStatement ps = c.prepareStatement("SELECT org_id FROM users WHERE lower(email) = lower(?)")) {
        ps.setString(1, a.get("email"));
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalArgumentException("no user " + a.get("email"));
          }
          org = (UUID) rs.getObject(1);
        }
      }
      long rows = scalar(s, "SELECT count(*) FROM transactions WHERE org_id = '" + org + "'");
      long all = scalar(s, "SELECT reltuples::bigint FROM pg_class WHERE relname = 'transactions'");
      System.out.printf("list plans: the merchant's org %s has %,d transactions, the table ~%,d%n", org, rows, all);
      String[] cursor = {"", ""};
      try (ResultSet rs = s.executeQuery("SELECT created_at, id FROM transactions WHERE org_id = '" + org
          + "' AND status = 'failed' ORDER BY created_at DESC, id DESC OFFSET 100000 LIMIT 1")) {
        if (rs.next()) {
          cursor[0] = rs.getString(1);
          cursor[1] = rs.getString(2);
        }
      }
      int n = 0;
      for (Filter f : filters()) {
        if (f.values().contains("$CURSOR_AT") && cursor[0].isEmpty()) {
          continue;   // fewer than 100,000 failed transactions: no position that deep
        }
        String name = "lp" + n++;
        StringBuilder types = new StringBuilder("uuid");
        StringBuilder values = new StringBuilder("'" + org + "'");
        for (int i = 0; i < f.types().size(); i++) {
          types.append(", ").append(f.types().get(i));
          String v = f.values().get(i).replace("$CURSOR_AT", cursor[0]).replace("$CURSOR_ID", cursor[1]);
          values.append(", ").append(v.startsWith("now()") || f.types().get(i).equals("bigint") ? v : "'" + v + "'");
        }
        s.execute("PREPARE " + name + "(" + types + ") AS SELECT " + COLUMNS + " FROM transactions WHERE org_id = $1"
            + f.where() + " ORDER BY created_at DESC, id DESC LIMIT 51");
        for (String mode : new String[] {"force_custom_plan", "force_generic_plan"}) {
          s.execute("SET plan_cache_mode = " + mode);
          List<String> plan = List.of();
          double best = Double.MAX_VALUE;
          for (int r = 0; r < runs; r++) {   // the first run reads from disk; the best of the rest is the cached cost
            plan = explain(s, "EXPLAIN (ANALYZE, BUFFERS) EXECUTE " + name + "(" + values + ")");
            best = Math.min(best, executionMs(plan));
          }
          // the gateway plans amount, currency, PSP and class filters for their values
          // (TransactionFilter#planPerValue): their generic plan is shown, marked, but never used
          boolean perValue = f.where().contains("amount_minor") || f.where().contains("currency")
              || f.where().contains("psp") || f.where().contains("decline_class");
          String kind = mode.contains("custom") ? "custom" : perValue ? "(generic, unused)" : "generic";
          System.out.printf("%-58s %-17s %8.2f ms  %s%n", f.query(), kind, best, summary(plan));
          if (verbose) {
            plan.forEach(l -> System.out.println("      " + l));
          }
        }
        s.execute("DEALLOCATE " + name);
      }
      s.execute("RESET plan_cache_mode");
    }
  }

  private static List<String> explain(Statement s, String sql) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
    }
    return lines;
  }

  private static double executionMs(List<String> plan) {
    for (String l : plan) {
      if (l.startsWith("Execution Time:")) {
        return Double.parseDouble(l.replaceAll("[^0-9.]", ""));
      }
    }
    return Double.NaN;
  }

  /** The scan and sort nodes with their rows, and the top node's buffers. */
  private static String summary(List<String> plan) {
    StringBuilder b = new StringBuilder();
    for (String l : plan) {
      String t = l.trim().replaceFirst("^->\\s*", "");
      if (t.matches("^(Index|Bitmap|Seq|Sort|Incremental Sort|Index Only).*")) {
        String node = t.replaceAll("\\s*\\(cost=[^)]*\\)", "").replaceAll("\\(actual time=[^ ]* ", "(");
        b.append(b.length() == 0 ? "" : " | ").append(node);
      } else if (t.startsWith("Rows Removed by Filter") || t.startsWith("Buffers:") && !b.toString().contains("[")) {
        b.append(" [").append(t).append(']');
      }
    }
    return b.toString();
  }

  private static long scalar(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
