package io.tinko.gateway.api.transactions;

import io.tinko.gateway.api.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * A transaction's history in time order: the webhooks that drove it, each decision with the rule that made it,
 * each retry attempt with its outcome, the customer emails (notification log) and what the customer did with their
 * links, and the recovery. Every query is bounded by the tenant as well as the
 * transaction, so a foreign transaction id yields nothing even if it were guessed.
 */
final class Timeline {
  private static final String DECISIONS = """
      SELECT id, webhook_id, decline_class, action, rule, reason, next_attempt_at, created_at
        FROM decisions WHERE transaction_id = $1 AND org_id = $2 ORDER BY created_at, id""";
  private static final String ATTEMPTS = """
      SELECT id, attempt_no, due_at, status, decision_id, finished_at, outcome_code, outcome_detail, created_at
        FROM recovery_attempts WHERE transaction_id = $1 AND org_id = $2 ORDER BY attempt_no, created_at""";
  // the webhooks a decision names; received_at bounds keep the partition scan to the transaction's lifetime
  private static final String EVENTS = """
      SELECT e.id, e.received_at, e.endpoint_id, e.psp, e.event_id, e.event_type, e.processed_at
        FROM webhook_events e
       WHERE e.org_id = $2
         AND e.id IN (SELECT d.webhook_id FROM decisions d WHERE d.transaction_id = $1 AND d.org_id = $2)
       ORDER BY e.received_at, e.id""";
  private static final String NOTIFICATIONS = """
      SELECT id, step_no, recipient, template, locale, status, provider_message_id, error, created_at
        FROM notification_log WHERE transaction_id = $1 AND org_id = $2 ORDER BY created_at, id""";
  private static final String CLICKS = """
      SELECT id, link_id, kind, at FROM link_clicks WHERE transaction_id = $1 AND org_id = $2 ORDER BY at, id""";

  private final Pool pool;

  Timeline(Pool pool) {
    this.pool = pool;
  }

  Future<JsonArray> of(UUID txnId, UUID orgId, JsonObject txn) {
    Tuple args = Tuple.of(txnId, orgId);
    Future<RowSet<Row>> decisions = pool.preparedQuery(DECISIONS).execute(args);
    Future<RowSet<Row>> attempts = pool.preparedQuery(ATTEMPTS).execute(args);
    Future<RowSet<Row>> events = pool.preparedQuery(EVENTS).execute(args);
    Future<RowSet<Row>> notifications = pool.preparedQuery(NOTIFICATIONS).execute(args);
    Future<RowSet<Row>> clicks = pool.preparedQuery(CLICKS).execute(args);
    return Future.all(List.of(decisions, attempts, events, notifications, clicks)).map(v -> {
      List<JsonObject> entries = new ArrayList<>();
      for (Row r : events.result()) {
        entries.add(entry("webhook_event", r.getOffsetDateTime("received_at")).put("id", r.getUUID("id").toString())
            .put("endpointId", r.getString("endpoint_id")).put("psp", r.getString("psp"))
            .put("eventId", r.getString("event_id")).put("eventType", r.getString("event_type"))
            .put("processedAt", Reply.time(r.getOffsetDateTime("processed_at"))));
      }
      for (Row r : decisions.result()) {
        entries.add(entry("decision", r.getOffsetDateTime("created_at")).put("id", r.getUUID("id").toString())
            .put("webhookId", r.getUUID("webhook_id") == null ? null : r.getUUID("webhook_id").toString())
            .put("declineClass", r.getString("decline_class")).put("action", r.getString("action"))
            .put("rule", r.getString("rule")).put("reason", r.getString("reason"))
            .put("nextAttemptAt", Reply.time(r.getOffsetDateTime("next_attempt_at"))));
      }
      for (Row r : attempts.result()) {
        Object detail = r.getValue("outcome_detail");
        entries.add(entry("attempt", r.getOffsetDateTime("created_at")).put("id", r.getUUID("id").toString())
            .put("attemptNo", r.getInteger("attempt_no")).put("status", r.getString("status"))
            .put("dueAt", Reply.time(r.getOffsetDateTime("due_at")))
            .put("decisionId", r.getUUID("decision_id") == null ? null : r.getUUID("decision_id").toString())
            .put("finishedAt", Reply.time(r.getOffsetDateTime("finished_at")))
            .put("outcomeCode", r.getString("outcome_code"))
            .put("outcomeDetail", detail instanceof JsonObject o ? o : null));
      }
      for (Row r : notifications.result()) {
        entries.add(entry("notification", r.getOffsetDateTime("created_at")).put("id", r.getUUID("id").toString())
            .put("stepNo", r.getInteger("step_no")).put("template", r.getString("template"))
            .put("recipient", r.getString("recipient")).put("locale", r.getString("locale"))
            .put("status", r.getString("status")).put("providerMessageId", r.getString("provider_message_id"))
            .put("error", r.getString("error")));
      }
      for (Row r : clicks.result()) {
        entries.add(entry("link_click", r.getOffsetDateTime("at")).put("id", r.getUUID("id").toString())
            .put("linkId", r.getUUID("link_id").toString()).put("action", r.getString("kind")));
      }
      if (txn.getString("recoveredAt") != null) {
        entries.add(new JsonObject().put("kind", "recovered").put("at", txn.getString("recoveredAt"))
            .put("recoveredBy", txn.getString("recoveredBy")));
      }
      // stable: on equal times the webhook comes before the decision it caused
      entries.sort(Comparator.comparing(e -> OffsetDateTime.parse(e.getString("at"))));
      return new JsonArray(new ArrayList<>(entries));
    });
  }

  private static JsonObject entry(String kind, OffsetDateTime at) {
    return new JsonObject().put("kind", kind).put("at", Reply.time(at));
  }
}
