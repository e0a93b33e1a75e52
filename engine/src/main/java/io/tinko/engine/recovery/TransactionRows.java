package io.tinko.engine.recovery;

import static io.tinko.common.db.SqlArrays.col;
import static io.tinko.engine.recovery.WriteSql.network;
import static io.tinko.engine.recovery.WriteSql.odt;

import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The {@code transactions} rows of a {@link Writes}: new ones inserted, known ones updated, all columns as arrays. */
final class TransactionRows {
  private static final String TX_ARRAYS = """
      unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
             $9::text[], $10::text[], $11::text[], $12::text[], $13::int8[], $14::text[], $15::int2[], $16::text[],
             $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[],
             $24::timestamptz[], $25::timestamptz[], $26::timestamptz[], $27::text[], $28::timestamptz[], $29::int4[],
             $30::timestamptz[])""";
  private static final String TX_COLUMNS = """
      id, org_id, psp, endpoint_id, psp_payment_key, invoice_id, payment_id, subscription_id, customer_id,
      payment_method_id, customer_email, customer_locale, amount_minor, currency, amount_exponent, card_network,
      card_funding, card_fingerprint, card_key, status, decline_class, decline_code, decline_rule, failed_at,
      last_failed_at, recovered_at, recovered_by, last_event_at, retries_made, psp_next_retry_at""";
  /** New transactions: a plain multi-row insert (the row lock and key locks rule out a concurrent creator). */
  static final String INSERT = "INSERT INTO transactions (" + TX_COLUMNS + ") SELECT * FROM "
      + TX_ARRAYS;
  /** Known transactions: every mutable column from the in-memory state, found by primary key. */
  static final String UPDATE = "UPDATE transactions t SET invoice_id = u.invoice_id, "
      + "payment_id = u.payment_id, subscription_id = u.subscription_id, customer_id = u.customer_id, "
      + "payment_method_id = u.payment_method_id, customer_email = u.customer_email, "
      + "customer_locale = u.customer_locale, amount_minor = u.amount_minor, currency = u.currency, "
      + "amount_exponent = u.amount_exponent, card_network = u.card_network, card_funding = u.card_funding, "
      + "card_fingerprint = u.card_fingerprint, card_key = u.card_key, status = u.status, "
      + "decline_class = u.decline_class, decline_code = u.decline_code, decline_rule = u.decline_rule, "
      + "failed_at = u.failed_at, last_failed_at = u.last_failed_at, recovered_at = u.recovered_at, "
      + "recovered_by = u.recovered_by, last_event_at = u.last_event_at, retries_made = u.retries_made, "
      + "psp_next_retry_at = u.psp_next_retry_at, updated_at = now() FROM " + TX_ARRAYS + " AS u(" + TX_COLUMNS
      + ") WHERE t.id = u.id AND t.id = ANY($1)";
  private TransactionRows() {}

  static Tuple tuple(List<TxState> t) {
    return Tuple.tuple()
        .addArrayOfUUID(col(t, x -> x.id, UUID[]::new))
        .addArrayOfUUID(col(t, x -> x.orgId, UUID[]::new))
        .addArrayOfString(col(t, x -> x.psp.id(), String[]::new))
        .addArrayOfString(col(t, x -> x.endpointId, String[]::new))
        .addArrayOfString(col(t, x -> x.paymentKey, String[]::new))
        .addArrayOfString(col(t, x -> x.invoiceId, String[]::new))
        .addArrayOfString(col(t, x -> x.paymentId, String[]::new))
        .addArrayOfString(col(t, x -> x.subscriptionId, String[]::new))
        .addArrayOfString(col(t, x -> x.customerId, String[]::new))
        .addArrayOfString(col(t, x -> x.paymentMethodId, String[]::new))
        .addArrayOfString(col(t, x -> x.customerEmail, String[]::new))
        .addArrayOfString(col(t, x -> x.customerLocale, String[]::new))
        .addArrayOfLong(col(t, x -> x.amountMinor, Long[]::new))
        .addArrayOfString(col(t, x -> x.currency, String[]::new))
        .addArrayOfShort(col(t, x -> x.amountExponent == null ? null : x.amountExponent.shortValue(), Short[]::new))
        .addArrayOfString(col(t, x -> network(x.network), String[]::new))
        .addArrayOfString(col(t, x -> x.cardFunding, String[]::new))
        .addArrayOfString(col(t, x -> x.cardFingerprint, String[]::new))
        .addArrayOfString(col(t, x -> x.cardKey, String[]::new))
        .addArrayOfString(col(t, x -> x.status, String[]::new))
        .addArrayOfString(col(t, x -> x.declineClass, String[]::new))
        .addArrayOfString(col(t, x -> x.declineCode, String[]::new))
        .addArrayOfString(col(t, x -> x.declineRule, String[]::new))
        .addArrayOfOffsetDateTime(col(t, x -> odt(x.failedAt), OffsetDateTime[]::new))
        .addArrayOfOffsetDateTime(col(t, x -> odt(x.lastFailedAt), OffsetDateTime[]::new))
        .addArrayOfOffsetDateTime(col(t, x -> odt(x.recoveredAt), OffsetDateTime[]::new))
        .addArrayOfString(col(t, x -> x.recoveredBy, String[]::new))
        .addArrayOfOffsetDateTime(col(t, x -> odt(x.lastEventAt), OffsetDateTime[]::new))
        .addArrayOfInteger(col(t, x -> x.retriesMade, Integer[]::new))
        .addArrayOfOffsetDateTime(col(t, x -> odt(x.pspNextRetryAt), OffsetDateTime[]::new));
  }
}
