package io.tinko.gateway.recovery;

import io.tinko.engine.dunning.LinkTokens;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * The recovery page's reads and writes. A link is only ever looked up by ALL of its token's claims (id, tenant,
 * transaction, purpose), and the transaction only through the link, so a token can never show another payment.
 */
final class LinkStore {
  static final String LOAD = """
      SELECT l.id, l.used_at, l.completed_at, l.hosted_ref, t.id AS transaction_id, t.psp_payment_key,
             t.status, t.psp, t.endpoint_id, t.invoice_id,
             t.customer_id, t.customer_email, t.customer_locale, t.amount_minor, t.currency, t.amount_exponent,
             t.decline_class, o.name, b.display_name, b.logo_url, b.support_email,
             c.api_base_url, c.credentials_enc, c.status AS connection_status
        FROM recovery_links l
        JOIN transactions t ON t.id = l.transaction_id AND t.org_id = l.org_id
        JOIN organizations o ON o.id = l.org_id
        LEFT JOIN tenant_branding b ON b.org_id = l.org_id
        LEFT JOIN psp_connections c ON c.id = t.endpoint_id AND c.org_id = l.org_id
       WHERE l.id = $1 AND l.org_id = $2 AND l.transaction_id = $3 AND l.purpose = $4""";
  static final String USE = "UPDATE recovery_links SET used_at = now() WHERE id = $1 AND used_at IS NULL";
  static final String RELEASE = "UPDATE recovery_links SET used_at = NULL WHERE id = $1 AND hosted_url IS NULL";
  static final String HOSTED = "UPDATE recovery_links SET hosted_url = $2, hosted_ref = $3 WHERE id = $1";
  static final String COMPLETE =
      "UPDATE recovery_links SET completed_at = now() WHERE id = $1 AND completed_at IS NULL";
  static final String CLICK = """
      INSERT INTO link_clicks (id, link_id, org_id, transaction_id, kind) VALUES ($1, $2, $3, $4, $5)""";
  static final String UNSUBSCRIBE = """
      INSERT INTO dunning_unsubscribes (org_id, email) VALUES ($1, lower($2)) ON CONFLICT DO NOTHING""";

  private final Pool pool;

  LinkStore(Pool pool) {
    this.pool = pool;
  }

  /** The link and its payment, or null when no link matches every claim. */
  Future<Row> load(LinkTokens.Claims c) {
    return pool.preparedQuery(LOAD).execute(Tuple.of(c.linkId(), c.orgId(), c.transactionId(), c.purpose()))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  /** Takes the link's single payment use; false when it was used already. */
  Future<Boolean> use(UUID linkId) {
    return pool.preparedQuery(USE).execute(Tuple.of(linkId)).map(r -> r.rowCount() == 1);
  }

  /** Gives the use back when the PSP could not be reached (nothing happened at the PSP). */
  Future<Void> release(UUID linkId) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(linkId)).mapEmpty();
  }

  Future<Void> hosted(UUID linkId, Hosted page) {
    return pool.preparedQuery(HOSTED).execute(Tuple.of(linkId, page.url(), page.ref())).mapEmpty();
  }

  Future<Void> complete(UUID linkId) {
    return pool.preparedQuery(COMPLETE).execute(Tuple.of(linkId)).mapEmpty();
  }

  Future<Void> click(LinkTokens.Claims c, String kind) {
    return pool.preparedQuery(CLICK).execute(Tuple.of(UUID.randomUUID(), c.linkId(), c.orgId(), c.transactionId(),
        kind)).mapEmpty();
  }

  Future<Void> unsubscribe(UUID orgId, String email) {
    return pool.preparedQuery(UNSUBSCRIBE).execute(Tuple.of(orgId, email)).mapEmpty();
  }
}
