package io.tinko.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PayPal's REST API as the engine uses it: {@code POST /v1/oauth2/token} (client credentials, Basic auth) and
 * {@code POST /v1/billing/subscriptions/{id}/capture} (Bearer token, JSON, {@code PayPal-Request-Id}). A request id
 * seen before gets the earlier request's answer again; a 5xx means the request did not execute and is not kept.
 * Declines are 422 {@code UNPROCESSABLE_ENTITY} with the issue in {@code details[0].issue}; scripts are per
 * subscription id. Orders v2 with the buyer's approval and signed capture webhooks: {@link FakePaypalOrders},
 * {@link FakePaypalWebhooks}.
 */
public final class FakePaypal extends FakePsp {
  private record Stored(int status, JsonObject body) {}

  private final Map<String, Stored> byRequestId = new ConcurrentHashMap<>();
  private final Map<String, Boolean> tokens = new ConcurrentHashMap<>();
  private final FakePaypalWebhooks webhooks;
  private final FakePaypalOrders orders;

  public FakePaypal(Vertx vertx) {
    super(vertx);
    this.webhooks = new FakePaypalWebhooks(vertx);
    this.orders = new FakePaypalOrders(this, webhooks);
  }

  /** Also starts the HTTPS certificate host that {@code PAYPAL-CERT-URL} of this fake's webhooks names. */
  @Override
  public Future<FakePsp> start(int port) {
    return webhooks.start().compose(v -> super.start(port));
  }

  @Override
  public Future<Void> close() {
    return Future.all(super.close(), webhooks.close()).mapEmpty();
  }

  /**
   * Where captures post their signed PAYMENT.CAPTURE.COMPLETED, and the webhook id PayPal would have assigned to
   * that endpoint (part of the signed message; the gateway's connection must name the same one).
   */
  public FakePaypal webhooks(String url, String webhookId) {
    webhooks.target(url, webhookId);
    return this;
  }

  /**
   * The CA of this fake's signing and certificate-host certificates (PEM): a gateway accepts the fake's webhooks when
   * it trusts this CA ({@code webhooks.paypal.trustStore}, {@code webhooks.paypal.fetchTrustStore}) and allows the
   * host {@link #certHost()}.
   */
  public String caPem() {
    return webhooks.caPem();
  }

  /**
   * Delivers an event as PayPal does (id, create_time now, signed with this fake's certificate) to the endpoint set
   * with {@link #webhooks}, e.g. a subscription's failed payment.
   */
  public Future<Void> deliver(String eventType, String resourceType, JsonObject resource, String summary) {
    return webhooks.send(eventType, resourceType, resource, summary);
  }

  public String certHost() {
    return "127.0.0.1";
  }

  /** Orders v2 orders created (a replayed PayPal-Request-Id creates none). */
  public int orders() {
    return orders.count();
  }

  /** CREATED, PAYER_ACTION_REQUIRED, APPROVED or COMPLETED; null for an unknown order. */
  public String orderStatus(String orderId) {
    return orders.statusOf(orderId);
  }

  @Override
  protected void routes(Router router) {
    router.post("/v1/oauth2/token").handler(this::token);
    router.post("/v1/billing/subscriptions/:id/capture").handler(this::capture);
    orders.routes(router);
  }

  /** A Bearer token this fake issued; otherwise answers 401 and returns false. */
  boolean authorized(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    if (auth == null || !auth.startsWith("Bearer ") || !tokens.containsKey(auth.substring(7))) {
      json(ctx, 401, issue("AUTHENTICATION_FAILURE", "INVALID_TOKEN", "Authentication failed due to invalid token."));
      return false;
    }
    return true;
  }

  private void token(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    String decoded = auth != null && auth.startsWith("Basic ")
        ? new String(Base64.getDecoder().decode(auth.substring(6))) : "";
    if (!decoded.contains(":") || !"client_credentials".equals(ctx.request().getFormAttribute("grant_type"))) {
      json(ctx, 401, new JsonObject().put("error", "invalid_client").put("error_description", "Client Authentication failed"));
      return;
    }
    String token = "A21AA" + UUID.randomUUID().toString().replace("-", "");
    tokens.put(token, true);
    json(ctx, 200, new JsonObject().put("scope", "https://uri.paypal.com/services/subscriptions")
        .put("access_token", token).put("token_type", "Bearer").put("expires_in", 32400));
  }

  private void capture(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    if (auth == null || !auth.startsWith("Bearer ") || !tokens.containsKey(auth.substring(7))) {
      json(ctx, 401, issue("AUTHENTICATION_FAILURE", "INVALID_TOKEN", "Authentication failed due to invalid token."));
      return;
    }
    String requestId = ctx.request().getHeader("PayPal-Request-Id");
    ledger.request(requestId);
    Stored stored = requestId == null ? null : byRequestId.get(requestId);
    if (stored != null) {
      json(ctx, stored.status(), stored.body());
      return;
    }
    String subscription = ctx.pathParam("id");
    JsonObject amount = ctx.body().asJsonObject().getJsonObject("amount", new JsonObject());
    Step step = next(subscription);
    if (step.kind() == Step.Kind.SERVER_ERROR) {
      json(ctx, step.status(), issue("INTERNAL_SERVER_ERROR", "INTERNAL_SERVICE_ERROR", "An internal server error occurred."));
      return;
    }
    int status;
    JsonObject body;
    if (step.charges()) {
      status = 202;
      body = new JsonObject().put("id", "TXN" + UUID.randomUUID().toString().substring(0, 12).toUpperCase())
          .put("status", "COMPLETED").put("time", Instant.now().toString())
          .put("amount_with_breakdown", new JsonObject().put("gross_amount", amount));
      ledger.charged(new Ledger.Charge(requestId, subscription, minor(amount.getString("value", "0")),
          amount.getString("currency_code")));
    } else {
      ledger.declined(requestId);
      status = 422;
      body = issue("UNPROCESSABLE_ENTITY", step.code() == null ? "INSTRUMENT_DECLINED" : step.code(),
          "The instrument presented was declined.");
    }
    if (requestId != null) {
      byRequestId.put(requestId, new Stored(status, body));
    }
    answer(ctx, step, status, body);
  }

  private static long minor(String decimal) {
    return new java.math.BigDecimal(decimal).movePointRight(2).longValueExact();
  }

  private static JsonObject issue(String name, String issue, String description) {
    return new JsonObject().put("name", name).put("message", description).put("debug_id", "fake-debug")
        .put("details", new JsonArray().add(new JsonObject().put("issue", issue).put("description", description)));
  }
}
