package io.tinko.gateway.api.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.gateway.api.ApiServer;
import io.tinko.gateway.api.Fixtures;
import io.tinko.gateway.api.Tenant;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The notification log, the dunning-sequence API and the timeline's customer entries, per tenant. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class NotificationsApiTest {
  private static ApiServer api;
  private static TestDatabase db;

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) {
    db = database;
    api = ApiServer.start(db, redis.url());
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static void log(UUID org, UUID tx, String status, int step) {
    db.execute("INSERT INTO notification_log (id, org_id, transaction_id, step_no, recipient, template, locale, "
        + "status, provider_message_id, error) VALUES (?, ?, ?, ?, 'c@example.com', 'reminder', 'en', ?, ?, ?)",
        UUID.randomUUID(), org, tx, step, status, "sent".equals(status) ? "<" + UUID.randomUUID() + "@tinko>" : null,
        "sent".equals(status) ? null : "smtp: connection refused");
  }

  @Test
  @DisplayName("GET /v1/notifications lists the tenant's own log, newest first, filtered and paged")
  void listsOwnLog() {
    Tenant a = Tenant.create(api, "Log A");
    Tenant b = Tenant.create(api, "Log B");
    UUID txA = Fixtures.transaction(db, a.orgId);
    UUID txA2 = Fixtures.transaction(db, a.orgId);
    log(a.orgId, txA, "retrying", 1);
    log(a.orgId, txA, "sent", 1);
    log(a.orgId, txA2, "sent", 1);
    log(b.orgId, Fixtures.transaction(db, b.orgId), "sent", 1);

    JsonArray all = api.get("/v1/notifications", a.owner()).json().getJsonArray("items");
    assertThat(all).hasSize(3);
    assertThat(all.getJsonObject(0).getString("transactionId")).isEqualTo(txA2.toString());
    JsonObject filtered = api.get("/v1/notifications?transactionId=" + txA + "&status=retrying", a.owner()).json();
    assertThat(filtered.getJsonArray("items")).hasSize(1);
    assertThat(filtered.getJsonArray("items").getJsonObject(0).getString("error"))
        .isEqualTo("smtp: connection refused");
    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = api.get("/v1/notifications?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), a.owner())
          .json();
      page.getJsonArray("items").forEach(i -> paged.add(((JsonObject) i).getString("id")));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    assertThat(paged).hasSize(3).doesNotHaveDuplicates();
    assertThat(api.get("/v1/notifications?transactionId=" + txA, b.owner()).json().getJsonArray("items")).isEmpty();
    assertThat(api.get("/v1/notifications?transactionId=nope", a.owner()).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("dunning sequences: PUT stores a valid one and refuses bad ones, GET lists all classes, DELETE resets")
  void putSequence() {
    Tenant t = Tenant.create(api, "Seq");
    JsonObject body = new JsonObject().put("steps", new JsonArray()
        .add(new JsonObject().put("after", "PT0S").put("template", "update_payment"))
        .add(new JsonObject().put("after", "P2D").put("template", "final_notice")));
    ApiServer.Resp ok = api.call(HttpMethod.PUT, "/v1/dunning-sequences/FIX_DATA", t.owner(), body);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().getString("source")).isEqualTo("custom");
    assertThat(ok.json().getJsonArray("default")).hasSize(3);
    assertThat(db.scalar("SELECT count(*) FROM dunning_sequences WHERE org_id = ? AND decline_class = 'FIX_DATA' "
        + "AND jsonb_array_length(sequence->'steps') = 2", t.orgId)).isEqualTo(1);
    assertThat(api.call(HttpMethod.PUT, "/v1/dunning-sequences/NOPE", t.owner(), body).status()).isEqualTo(404);
    JsonObject backwards = new JsonObject().put("steps", new JsonArray()
        .add(new JsonObject().put("after", "P2D").put("template", "reminder"))
        .add(new JsonObject().put("after", "P1D").put("template", "reminder")));
    ApiServer.Resp bad = api.call(HttpMethod.PUT, "/v1/dunning-sequences/FIX_DATA", t.owner(), backwards);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("step 2");
    JsonObject unknownTemplate = new JsonObject().put("steps", new JsonArray()
        .add(new JsonObject().put("after", "PT0S").put("template", "surprise")));
    assertThat(api.call(HttpMethod.PUT, "/v1/dunning-sequences/FIX_DATA", t.owner(), unknownTemplate).status())
        .isEqualTo(400);
    assertThat(api.call(HttpMethod.PUT, "/v1/dunning-sequences/FIX_DATA", t.keys.get(io.tinko.gateway.api.Role.ANALYST),
        body).status()).isEqualTo(403);
    JsonArray listed = api.get("/v1/dunning-sequences", t.keys.get(io.tinko.gateway.api.Role.ANALYST)).json()
        .getJsonArray("items");
    assertThat(listed).hasSize(7);
    JsonObject fix = listed.stream().map(JsonObject.class::cast)
        .filter(e -> "FIX_DATA".equals(e.getString("declineClass")))
        .findFirst().orElseThrow();
    assertThat(fix.getString("source")).isEqualTo("custom");
    assertThat(fix.getJsonArray("steps")).hasSize(2);
    ApiServer.Resp reset = api.call(HttpMethod.DELETE, "/v1/dunning-sequences/FIX_DATA", t.owner(), null);
    assertThat(reset.json().getString("source")).isEqualTo("default");
    assertThat(reset.json().getJsonArray("steps")).hasSize(3);
    assertThat(db.scalar("SELECT count(*) FROM dunning_sequences WHERE org_id = ?", t.orgId)).isZero();
  }

  @Test
  @DisplayName("the transaction timeline shows its emails and the customer's clicks, in time order")
  void timeline() {
    Tenant t = Tenant.create(api, "Timeline");
    UUID tx = Fixtures.transaction(db, t.orgId);
    log(t.orgId, tx, "sent", 1);
    db.execute("INSERT INTO link_clicks (id, link_id, org_id, transaction_id, kind, at) "
        + "VALUES (?, ?, ?, ?, 'open', now() + interval '1 second')", UUID.randomUUID(), UUID.randomUUID(), t.orgId,
        tx);
    JsonArray timeline = api.get("/v1/transactions/" + tx, t.owner()).json().getJsonArray("timeline");
    List<String> kinds = new ArrayList<>();
    timeline.forEach(e -> kinds.add(((JsonObject) e).getString("kind")));
    assertThat(kinds).containsSubsequence("notification", "link_click");
    JsonObject n = timeline.stream().map(JsonObject.class::cast).filter(e -> "notification".equals(e.getString("kind")))
        .findFirst().orElseThrow();
    assertThat(n.getString("status")).isEqualTo("sent");
    assertThat(n.getString("template")).isEqualTo("reminder");
    assertThat(n.getString("providerMessageId")).startsWith("<");
  }
}
