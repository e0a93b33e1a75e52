package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({PostgresExtension.class, RedisExtension.class})
class TransactionsTest {
  private static final String[] STATUSES = {"failed", "retrying", "recovered", "action_required"};
  private static final String[] PSPS = {"stripe", "razorpay", "standard"};
  private static final String[] CLASSES = {"RETRY_LATER", "FIX_DATA", "NEVER"};
  private static final Instant BASE = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

  private static ApiServer api;
  private static TestDatabase db;
  private static Tenant t;
  private static final List<UUID> ALL = new ArrayList<>();

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) {
    db = database;
    api = ApiServer.start(db, redis.url());
    t = Tenant.create(api, "Ledger");
    // 120 transactions, one per hour over 5 days, with every filter value spread across them; 3 pairs share a
    // created_at so the id tie-breaker matters
    for (int i = 0; i < 120; i++) {
      Instant at = BASE.plus(i - (i % 40 == 1 ? 1 : 0), ChronoUnit.HOURS);
      ALL.add(Fixtures.transaction(db, t.orgId, PSPS[i % 3], STATUSES[i % 4], CLASSES[i % 3], 100L * (i + 1),
          i % 2 == 0 ? "USD" : "EUR", at));
    }
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static JsonObject page(String query) {
    ApiServer.Resp r = api.get("/v1/transactions" + query, t.owner());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  @Test
  @DisplayName("paging with a cursor visits every row once, newest first, while new rows keep arriving")
  void stablePagination() {
    long before = db.scalar("SELECT count(*) FROM transactions WHERE org_id = ?", t.orgId);
    List<String> seen = new ArrayList<>();
    String cursor = null;
    Instant previous = null;
    int pages = 0;
    do {
      JsonObject p = page("?limit=25" + (cursor == null ? "" : "&cursor=" + cursor));
      for (Object o : p.getJsonArray("items")) {
        JsonObject item = (JsonObject) o;
        seen.add(item.getString("id"));
        Instant at = Instant.parse(item.getString("createdAt"));
        if (previous != null) {
          assertThat(at).isBeforeOrEqualTo(previous);
        }
        previous = at;
      }
      cursor = p.getString("nextCursor");
      // a row arriving between pages: newer than everything listed
      Fixtures.transaction(db, t.orgId, "stripe", "failed", "RETRY_LATER", 5, "USD", Instant.now());
      pages++;
    } while (cursor != null);
    assertThat(pages).isGreaterThanOrEqualTo(5);
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seen)).containsAll(ALL.stream().map(UUID::toString).toList());
    // exactly the rows present when paging began: later arrivals are newer than page 1 and never shift later pages
    assertThat(seen).hasSize((int) before);
  }

  @Test
  @DisplayName("each filter returns exactly the matching rows")
  void filters() {
    assertThat(ids("?status=recovered&limit=200")).hasSize(30);
    assertThat(ids("?psp=razorpay&limit=200")).hasSize(40);
    assertThat(ids("?declineClass=NEVER&limit=200")).hasSize(40);
    assertThat(ids("?currency=EUR&limit=200")).hasSize(60);
    assertThat(ids("?amountMin=1000&amountMax=2000&limit=200")).hasSize(11);
    assertThat(ids("?status=failed&psp=stripe&limit=200")).hasSize(10);
    assertThat(ids("?status=recovered&declineClass=NEVER&limit=200")).hasSize(10);
    assertThat(ids("?status=retrying&declineClass=NEVER&amountMin=1000&amountMax=6000&limit=200")).hasSize(4);
    String from = BASE.plus(10, ChronoUnit.HOURS).toString();
    String to = BASE.plus(20, ChronoUnit.HOURS).toString();
    assertThat(ids("?createdFrom=" + from + "&createdTo=" + to + "&limit=200")).hasSize(10);
    assertThat(page("?status=recovered&limit=10&createdTo=" + BASE.plus(5, ChronoUnit.DAYS)).getString("nextCursor"))
        .isNotNull();
  }

  @Test
  @DisplayName("bad filter values are 400 naming the parameter; a forged cursor is 400")
  void badFilters() {
    ApiServer.Resp r = api.get("/v1/transactions?status=lost", t.owner());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getJsonObject("error").getString("message")).contains("status");
    assertThat(api.get("/v1/transactions?limit=0", t.owner()).status()).isEqualTo(400);
    assertThat(api.get("/v1/transactions?limit=500", t.owner()).status()).isEqualTo(400);
    assertThat(api.get("/v1/transactions?amountMin=abc", t.owner()).status()).isEqualTo(400);
    // beyond a bigint: refused, not wrapped around into another (valid-looking) bound
    ApiServer.Resp big = api.get("/v1/transactions?amountMin=18446744073709551617", t.owner());
    assertThat(big.status()).isEqualTo(400);
    assertThat(big.json().getJsonObject("error").getString("message")).contains("amountMin");
    assertThat(api.get("/v1/transactions?createdFrom=yesterday", t.owner()).status()).isEqualTo(400);
    ApiServer.Resp c = api.get("/v1/transactions?cursor=bm90LWEtY3Vyc29y", t.owner());
    assertThat(c.status()).isEqualTo(400);
    assertThat(c.errorCode()).isEqualTo("invalid_cursor");
    // a misspelt filter is an error, not an unfiltered list
    ApiServer.Resp typo = api.get("/v1/transactions?stauts=failed", t.owner());
    assertThat(typo.status()).isEqualTo(400);
    assertThat(typo.errorCode()).isEqualTo("validation_failed");
    assertThat(typo.json().getJsonObject("error").getString("message"))
        .contains("unknown query parameter 'stauts'").contains("status");
    assertThat(api.get("/v1/org?verbose=1", t.owner()).status()).as("an operation without parameters")
        .isEqualTo(400);
  }

  @Test
  @DisplayName("a transaction's timeline lists its webhook, the decision with its rule, the attempt and its outcome")
  void timeline() {
    UUID txn = Fixtures.transaction(db, t.orgId);
    Instant at = Instant.now().minusSeconds(60);
    UUID webhook = Fixtures.event(db, t.orgId, "ep_fixture", "stripe", at);
    Fixtures.decisionWithAttempt(db, t.orgId, txn, webhook, at);
    db.execute("UPDATE transactions SET status = 'recovered', recovered_at = now(), recovered_by = 'retry' WHERE id = ?",
        txn);
    ApiServer.Resp r = api.get("/v1/transactions/" + txn, t.tokens.get(Role.ANALYST));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonArray timeline = r.json().getJsonArray("timeline");
    List<String> kinds = new ArrayList<>();
    timeline.forEach(e -> kinds.add(((JsonObject) e).getString("kind")));
    assertThat(kinds).containsExactly("webhook_event", "decision", "attempt", "recovered");
    assertThat(timeline.getJsonObject(1).getString("rule")).isEqualTo("policy:RETRY_LATER#1");
    assertThat(timeline.getJsonObject(2).getString("outcomeCode")).isEqualTo("card_declined");
    assertThat(timeline.getJsonObject(2).getJsonObject("outcomeDetail").getString("declineCode"))
        .isEqualTo("do_not_honor");
    assertThat(timeline.getJsonObject(3).getString("recoveredBy")).isEqualTo("retry");
  }

  @Test
  @DisplayName("amount, currency, PSP and decline-class filters are planned for their values: never the generic plan")
  void valueSensitiveFiltersArePlannedPerValue() {
    for (int i = 0; i < 10; i++) {
      page("?amountMin=" + (100 * i) + "&amountMax=" + (100 * i + 500));
      page("?currency=" + (i % 2 == 0 ? "USD" : "EUR"));
      page("?psp=" + PSPS[i % 3]);
      page("?declineClass=" + (i % 2 == 0 ? "RETRY_LATER" : "NEVER"));
      page("?status=" + (i % 2 == 0 ? "failed" : "retrying"));   // control: a statement that may go generic
    }
    for (String[] filter : new String[][] {{"amount", "amount_minor >= $2 AND amount_minor <= $3 ORDER BY"},
        {"currency", "currency = $2 ORDER BY"}, {"PSP", "psp = $2 ORDER BY"},
        {"decline-class", "decline_class = $2 ORDER BY"}}) {
      long[] p = plans(filter[1]);
      assertThat(p[0]).as("generic plans of the " + filter[0] + " filter").isZero();
      assertThat(p[1]).as("custom plans of the " + filter[0] + " filter").isGreaterThanOrEqualTo(10);
    }
    // Postgres switches a statement whose plans do not depend on its values to the generic plan after five runs
    assertThat(plans("status = $2 ORDER BY")[0]).as("generic plans of the status filter (the check can fail)")
        .isPositive();
  }

  /**
   * Generic and custom plans of the cached list statement whose SQL contains {@code sqlPart}, over every connection
   * of the API's pool: pg_prepared_statements shows a session's own statements only, so all are held at once.
   */
  private static long[] plans(String sqlPart) {
    List<SqlConnection> held = new ArrayList<>();
    long[] sum = new long[2];
    try {
      for (int i = 0; i < ApiServer.POOL_SIZE; i++) {
        held.add(ApiServer.await(api.pool.getConnection()));
      }
      for (SqlConnection c : held) {
        for (Row r : ApiServer.await(c.preparedQuery("""
            SELECT generic_plans, custom_plans FROM pg_prepared_statements
             WHERE statement LIKE 'SELECT%FROM transactions WHERE org_id = $1 AND ' || $1 || '%'""")
            .execute(Tuple.of(sqlPart)))) {
          sum[0] += r.getLong(0);
          sum[1] += r.getLong(1);
        }
      }
    } finally {
      held.forEach(c -> c.close());
    }
    return sum;
  }

  @Test
  @DisplayName("an unknown or malformed transaction id is 404")
  void unknown() {
    assertThat(api.get("/v1/transactions/" + UUID.randomUUID(), t.owner()).status()).isEqualTo(404);
    assertThat(api.get("/v1/transactions/not-a-uuid", t.owner()).status()).isEqualTo(404);
  }

  /** Rows of the fixed set only: other tests add rows dated now, after BASE + 5 days. */
  private static Set<String> ids(String query) {
    Set<String> out = new HashSet<>();
    String bounded = query.contains("createdTo") ? query : query + "&createdTo=" + BASE.plus(5, ChronoUnit.DAYS);
    page(bounded).getJsonArray("items").forEach(o -> out.add(((JsonObject) o).getString("id")));
    return out;
  }
}
