package io.tinko.gateway.api;

import io.tinko.common.util.Ids;
import io.tinko.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/** Rows the engine and the webhook path would write, inserted directly for the API to read. */
public final class Fixtures {
  private Fixtures() {}

  public static UUID transaction(TestDatabase db, UUID org, String psp, String status, String declineClass,
                                 long amountMinor, String currency, Instant createdAt) {
    UUID id = Ids.uuid7();
    db.execute("""
        INSERT INTO transactions (id, org_id, psp, endpoint_id, psp_payment_key, invoice_id, customer_id, amount_minor,
                                  currency, card_network, status, decline_class, decline_code, failed_at,
                                  last_event_at, created_at)
        VALUES (?, ?, ?, 'ep_fixture', ?, 'in_1', 'cus_1', ?, ?, 'visa', ?, ?, 'insufficient_funds', ?, ?, ?)""",
        id, org, psp, "pk_" + id, amountMinor, currency, status, declineClass, ts(createdAt), ts(createdAt),
        ts(createdAt));
    return id;
  }

  public static UUID transaction(TestDatabase db, UUID org) {
    return transaction(db, org, "stripe", "retrying", "RETRY_LATER", 1999, "USD", Instant.now());
  }

  /** A stored (verified) webhook; processed. */
  public static UUID event(TestDatabase db, UUID org, String endpointId, String psp, Instant receivedAt) {
    UUID id = Ids.uuid7();
    db.execute("""
        INSERT INTO webhook_events (id, received_at, endpoint_id, org_id, psp, event_id, event_type, headers, raw_body,
                                    processed_at)
        VALUES (?, ?, ?, ?, ?, ?, 'invoice.payment_failed', '{}'::jsonb, ?, now())""",
        id, ts(receivedAt), endpointId, org, psp, "evt_" + id, ("{\"id\":\"evt_" + id + "\"}")
            .getBytes(StandardCharsets.UTF_8));
    return id;
  }

  /** A webhook refused for one of the tenant's endpoints (bad signature), as the gateway logs it. */
  public static UUID refusal(TestDatabase db, UUID org, String endpointId, String psp, Instant receivedAt) {
    UUID id = Ids.uuid7();
    db.execute("""
        INSERT INTO webhook_refusals (id, received_at, endpoint_id, org_id, psp, outcome, reason, event_id, body_bytes)
        VALUES (?, ?, ?, ?, ?, 'bad_signature', 'no signature matched', ?, 42)""",
        id, ts(receivedAt), endpointId, org, psp, "evt_" + id);
    return id;
  }

  /** A decision for {@code txn} made on {@code webhook}, and an attempt it scheduled. */
  public static UUID decisionWithAttempt(TestDatabase db, UUID org, UUID txn, UUID webhook, Instant at) {
    UUID decision = Ids.uuid7();
    db.execute("""
        INSERT INTO decisions (id, org_id, transaction_id, webhook_id, decline_class, action, rule, reason,
                               next_attempt_at, created_at)
        VALUES (?, ?, ?, ?, 'RETRY_LATER', 'retry', 'policy:RETRY_LATER#1', 'insufficient funds', ?, ?)""",
        decision, org, txn, webhook, ts(at.plusSeconds(86400)), ts(at.plusMillis(5)));
    db.execute("""
        INSERT INTO recovery_attempts (id, org_id, transaction_id, attempt_no, due_at, status, idempotency_key,
                                       decision_id, finished_at, outcome_code, outcome_detail, created_at)
        VALUES (?, ?, ?, 1, ?, 'declined', ?, ?, ?, 'card_declined', '{"declineCode":"do_not_honor"}'::jsonb, ?)""",
        Ids.uuid7(), org, txn, ts(at.plusSeconds(86400)), "idem-" + decision, decision, ts(at.plusSeconds(86401)),
        ts(at.plusMillis(10)));
    return decision;
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.from(i);
  }
}
