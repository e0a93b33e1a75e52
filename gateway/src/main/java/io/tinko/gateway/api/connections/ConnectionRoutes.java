package io.tinko.gateway.api.connections;

import io.tinko.gateway.api.Access;
import io.tinko.gateway.api.Principal;
import io.tinko.gateway.api.Reply;
import io.tinko.gateway.api.openapi.Params;
import io.tinko.gateway.http.ApiException;
import io.tinko.gateway.webhook.ConnectionSecrets;
import io.tinko.gateway.webhook.EndpointRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;

/**
 * A merchant's PSP connections: each is a webhook endpoint ({@code /v1/webhooks/{psp}/{id}}) plus the sealed secret
 * that verifies its webhooks and the sealed API credentials that execute retries. Secrets go in, never out. Every
 * change is announced so each gateway of the cluster reloads the endpoint at once.
 */
public final class ConnectionRoutes {
  private static final String COLUMNS = """
      id, psp, status, paypal_webhook_id, rate_limit_per_second, credentials_enc IS NOT NULL AS has_credentials,
      CASE WHEN previous_secret_enc IS NOT NULL THEN previous_secret_until END AS previous_until,
      created_at, updated_at""";
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final long MAX_GRACE_SECONDS = 7 * 86400;

  private final Vertx vertx;
  private final Pool pool;
  private final ConnectionSecrets secrets;
  private final String publicUrl;
  private final long defaultGraceSeconds;
  private final SecureRandom random = new SecureRandom();

  public ConnectionRoutes(Vertx vertx, Pool pool, ConnectionSecrets secrets, String publicUrl,
                          long defaultGraceSeconds) {
    this.vertx = vertx;
    this.pool = pool;
    this.secrets = secrets;
    this.publicUrl = publicUrl;
    this.defaultGraceSeconds = defaultGraceSeconds;
  }

  public void list(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    Reply.json(ctx, 200, pool.preparedQuery("SELECT " + COLUMNS + " FROM psp_connections WHERE org_id = $1"
            + " ORDER BY created_at DESC, id DESC")
        .execute(Tuple.of(p.orgId()))
        .map(rows -> {
          JsonArray items = new JsonArray();
          rows.forEach(r -> items.add(json(r)));
          return new JsonObject().put("items", items);
        }));
  }

  public void get(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    Reply.json(ctx, 200, pool.preparedQuery("SELECT " + COLUMNS + " FROM psp_connections WHERE id = $1 AND org_id = $2")
        .execute(Tuple.of(Params.path(ctx, "id"), p.orgId())).map(this::one));
  }

  public void create(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    JsonObject b = Params.body(ctx);
    String psp = b.getString("psp");
    boolean paypal = "paypal".equals(psp);
    if (paypal && b.getString("paypalWebhookId") == null) {
      ctx.fail(new ApiException(400, "validation_failed",
          "invalid request: body /paypalWebhookId: PayPal connections need the webhook id PayPal assigned"));
      return;
    }
    if (!paypal && b.getString("webhookSecret") == null) {
      ctx.fail(new ApiException(400, "validation_failed",
          "invalid request: body /webhookSecret: the PSP's webhook signing secret is required"));
      return;
    }
    String id = newId();
    JsonObject credentials = new JsonObject();
    for (String k : new String[] {"apiKey", "clientId", "clientSecret"}) {
      if (b.getString(k) != null) {
        credentials.put(k, b.getString(k));
      }
    }
    // PayPal verifies with certificates; its secret column holds an empty sealed value so the row stays uniform
    Buffer secret = Buffer.buffer(secrets.sealWebhookSecret(id, paypal ? "" : b.getString("webhookSecret")));
    Buffer sealedCredentials = credentials.isEmpty() ? null
        : Buffer.buffer(secrets.sealCredentials(id, credentials.encode()));
    Reply.json(ctx, 201, pool.preparedQuery("""
            INSERT INTO psp_connections (id, org_id, psp, webhook_secret_enc, credentials_enc, paypal_webhook_id,
                                         rate_limit_per_second)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING""" + " " + COLUMNS)
        .execute(Tuple.of(id, p.orgId(), psp, secret, sealedCredentials, b.getString("paypalWebhookId"),
            b.getInteger("rateLimitPerSecond", 1000)))
        .map(this::one).onSuccess(c -> EndpointRegistry.announceChange(vertx, id)));
  }

  /** The new secret becomes current; the old one is still accepted for the grace period (0 retires it now). */
  public void rotateSecret(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    String id = Params.path(ctx, "id");
    JsonObject b = Params.body(ctx);
    long grace = Math.min(MAX_GRACE_SECONDS, b.getLong("previousSecretValidForSeconds", defaultGraceSeconds));
    Buffer sealed = Buffer.buffer(secrets.sealWebhookSecret(id, b.getString("webhookSecret")));
    Reply.json(ctx, 200, pool.preparedQuery("SELECT psp FROM psp_connections WHERE id = $1 AND org_id = $2")
        .execute(Tuple.of(id, p.orgId()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(notFound());
          }
          if ("paypal".equals(rows.iterator().next().getString("psp"))) {
            return Future.failedFuture(new ApiException(409, "not_applicable",
                "PayPal signs webhooks with certificates; there is no shared secret to rotate"));
          }
          return pool.preparedQuery("""
                  UPDATE psp_connections
                     SET previous_secret_enc = CASE WHEN $4::int8 > 0 THEN webhook_secret_enc END,
                         previous_secret_until = CASE WHEN $4::int8 > 0 THEN now() + $4::int8 * interval '1 second' END,
                         webhook_secret_enc = $3, updated_at = now()
                   WHERE id = $1 AND org_id = $2
                  RETURNING""" + " " + COLUMNS)
              .execute(Tuple.of(id, p.orgId(), sealed, grace)).map(this::one);
        })
        .onSuccess(c -> EndpointRegistry.announceChange(vertx, id)));
  }

  public void retirePreviousSecret(RoutingContext ctx) {
    update(ctx, "previous_secret_enc = NULL, previous_secret_until = NULL");
  }

  public void disable(RoutingContext ctx) {
    update(ctx, "status = 'disabled'");
  }

  private void update(RoutingContext ctx, String set) {
    Principal p = Access.of(ctx);
    String id = Params.path(ctx, "id");
    Reply.json(ctx, 200, pool.preparedQuery("UPDATE psp_connections SET " + set + ", updated_at = now()"
            + " WHERE id = $1 AND org_id = $2 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, p.orgId())).map(this::one)
        .onSuccess(c -> EndpointRegistry.announceChange(vertx, id)));
  }

  private JsonObject one(RowSet<Row> rows) {
    if (rows.size() == 0) {
      throw notFound();
    }
    return json(rows.iterator().next());
  }

  private JsonObject json(Row r) {
    String id = r.getString("id");
    String psp = r.getString("psp");
    return new JsonObject().put("id", id).put("psp", psp).put("status", r.getString("status"))
        .put("webhookUrl", publicUrl + "/v1/webhooks/" + psp + "/" + id)
        .put("paypalWebhookId", r.getString("paypal_webhook_id"))
        .put("rateLimitPerSecond", r.getInteger("rate_limit_per_second"))
        .put("hasCredentials", r.getBoolean("has_credentials"))
        .put("previousSecretValidUntil", Reply.time(r.getOffsetDateTime("previous_until")))
        .put("createdAt", Reply.time(r.getOffsetDateTime("created_at")))
        .put("updatedAt", Reply.time(r.getOffsetDateTime("updated_at")));
  }

  private String newId() {
    StringBuilder sb = new StringBuilder("ep_");
    for (int i = 0; i < 20; i++) {
      sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  private static ApiException notFound() {
    return new ApiException(404, "not_found", "no such PSP connection");
  }
}
