package io.tinko.engine.execute;

import io.tinko.engine.normalize.DeclineCodes;
import io.tinko.engine.recovery.ChargeResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PayPal through the Vert.x WebClient: an OAuth client-credentials token ({@code POST /v1/oauth2/token}, cached per
 * connection until shortly before it expires), then the subscription's outstanding balance is captured
 * ({@code POST /v1/billing/subscriptions/{id}/capture}) with the attempt's key as {@code PayPal-Request-Id}: a resend
 * gets the first request's latest status instead of a second capture. 422 is a decline (its issue is the code);
 * PENDING, 5xx and timeouts are unknown outcomes, resent with the same request id.
 */
public final class PaypalPspClient implements PspClient {
  static final String DEFAULT_BASE = "https://api-m.paypal.com";

  private record Token(String value, long expiresAtMs) {}

  private final WebClient web;
  private final int timeoutMs;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  public PaypalPspClient(WebClient web, int timeoutMs) {
    this.web = web;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<ChargeResult> charge(Charge c) {
    String id = c.connection().credential("clientId");
    String secret = c.connection().credential("clientSecret");
    if (id == null || secret == null) {
      return Future.succeededFuture(ChargeResult.rejected("no_credentials", "the connection has no PayPal client"));
    }
    String base = c.connection().baseUrl() == null ? DEFAULT_BASE : c.connection().baseUrl();
    return token(c.connection().id(), base, id, secret).compose(token -> {
      if (token == null) {
        return Future.succeededFuture(ChargeResult.rejected("authentication_failed", "PayPal refused the client"));
      }
      JsonObject body = new JsonObject().put("note", "Tinko recovery attempt " + c.attemptNo())
          .put("capture_type", "OUTSTANDING_BALANCE").put("amount", new JsonObject()
              .put("currency_code", c.amount().currency()).put("value", c.amount().toDecimal().toPlainString()));
      return web.postAbs(base + "/v1/billing/subscriptions/" + c.subscriptionId() + "/capture")
          .authentication(new TokenCredentials(token)).putHeader("PayPal-Request-Id", c.idempotencyKey())
          .timeout(timeoutMs).sendJsonObject(body).map(r -> outcome(c, r));
    }).recover(err -> Future.succeededFuture(ChargeResult.retryable("timeout", err.getMessage())));
  }

  private ChargeResult outcome(Charge c, HttpResponse<Buffer> r) {
    JsonObject body = json(r);
    int s = r.statusCode();
    if (s == 200 || s == 201 || s == 202) {
      String status = body.getString("status", "");
      return switch (status) {
        case "COMPLETED" -> ChargeResult.approved(body.getString("id"));
        case "DECLINED" -> ChargeResult.declined(new DeclineCodes("DECLINED", "DECLINED", null, null, null, null),
            body.getString("id"));
        default -> ChargeResult.retryable("status_" + status.toLowerCase(), "PayPal has not settled the capture");
      };
    }
    if (s == 401) {
      tokens.remove(c.connection().id());   // expired early: a new token next time
      return ChargeResult.retryable("http_401", "PayPal token refused");
    }
    if (s >= 500 || s == 429) {
      return ChargeResult.retryable("http_" + s, body.getString("message"));
    }
    JsonArray details = body.getJsonArray("details", new JsonArray());
    String issue = details.isEmpty() ? body.getString("name") : details.getJsonObject(0).getString("issue");
    if (s == 422) {
      return ChargeResult.declined(new DeclineCodes(body.getString("name"), issue, null, null, null,
          body.getString("message")), null);
    }
    return ChargeResult.rejected(issue == null ? "http_" + s : issue, body.getString("message"));
  }

  private Future<String> token(String connectionId, String base, String id, String secret) {
    Token t = tokens.get(connectionId);
    if (t != null && t.expiresAtMs() > System.currentTimeMillis()) {
      return Future.succeededFuture(t.value());
    }
    return web.postAbs(base + "/v1/oauth2/token").authentication(new UsernamePasswordCredentials(id, secret))
        .timeout(timeoutMs).sendForm(MultiMap.caseInsensitiveMultiMap().add("grant_type", "client_credentials"))
        .map(r -> {
          if (r.statusCode() >= 500 || r.statusCode() == 429) {
            throw new IllegalStateException("PayPal's token endpoint answered " + r.statusCode());
          }
          if (r.statusCode() != 200) {
            return null;
          }
          JsonObject body = r.bodyAsJsonObject();
          long ttl = Math.max(60, body.getLong("expires_in", 300L) - 60) * 1000;
          tokens.put(connectionId, new Token(body.getString("access_token"), System.currentTimeMillis() + ttl));
          return body.getString("access_token");
        });
  }

  private static JsonObject json(HttpResponse<Buffer> r) {
    try {
      JsonObject o = r.bodyAsJsonObject();
      return o == null ? new JsonObject() : o;
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }
}
