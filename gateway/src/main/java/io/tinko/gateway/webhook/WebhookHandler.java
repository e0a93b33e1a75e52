package io.tinko.gateway.webhook;

import io.tinko.common.bus.IngressMeter;
import io.tinko.common.domain.Psp;
import io.tinko.common.util.Ids;
import io.tinko.gateway.http.ApiException;
import io.tinko.gateway.http.RequestIds;
import io.tinko.gateway.webhook.RefusedWebhookLog.Identity;
import io.tinko.gateway.webhook.WebhookMetrics.Outcome;
import io.tinko.gateway.webhook.verify.BadPayloadException;
import io.tinko.gateway.webhook.verify.EventIdentity;
import io.tinko.gateway.webhook.verify.Verdict;
import io.tinko.gateway.webhook.verify.WebhookScheme;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/webhooks/{psp}/{endpointId}}: verify → de-duplicate → store durably → answer. A 2xx is written
 * only after the event's row has committed; the group commit then hands the group to the engine
 * ({@link EngineHandOff}), which may fail without loss because the sweeper re-dispatches what stays unprocessed.
 *
 * <p>One instance per HTTP verticle (event loop): the schemes, committer and Redis connection it holds are
 * confined to that loop.
 */
public final class WebhookHandler {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);
  private static final Buffer ACCEPTED = Buffer.buffer("{\"status\":\"accepted\"}");
  private static final Buffer DUPLICATE = Buffer.buffer("{\"status\":\"duplicate\"}");
  private static final String START = "tinko.start";
  private static final String ENDPOINT = "tinko.endpoint";

  private final Vertx vertx;
  private final EndpointRegistry endpoints;
  private final Map<Psp, WebhookScheme> schemes;
  private final GroupCommitter committer;
  private final RedisDedupe dedupe;
  private final RateLimiter rateLimiter;
  private final WebhookMetrics metrics;
  private final RefusedWebhookLog refusals;
  private final int defaultMaxBody;
  private final IngressMeter ingress;

  public WebhookHandler(Vertx vertx, EndpointRegistry endpoints, Map<Psp, WebhookScheme> schemes,
                        GroupCommitter committer, RedisDedupe dedupe, RateLimiter rateLimiter, WebhookMetrics metrics,
                        RefusedWebhookLog refusals, int defaultMaxBody) {
    this.vertx = vertx;
    this.endpoints = endpoints;
    this.schemes = schemes;
    this.committer = committer;
    this.dedupe = dedupe;
    this.rateLimiter = rateLimiter;
    this.metrics = metrics;
    this.refusals = refusals;
    this.defaultMaxBody = defaultMaxBody;
    this.ingress = IngressMeter.of(vertx);
  }

  /** Endpoint, size and rate checks, before any signature work. */
  public void admit(RoutingContext ctx) {
    ctx.put(START, System.nanoTime());
    ingress.begin();
    ctx.addEndHandler(ended -> ingress.end());
    Psp psp = Psp.parse(ctx.pathParam("psp")).filter(schemes::containsKey).orElse(null);
    if (psp == null) {
      ctx.fail(new ApiException(404, "endpoint_not_found", "no active webhook endpoint at this URL"));
      return;
    }
    Endpoint known = endpoints.get(ctx.pathParam("endpointId"));
    if (known != null) {
      admit(ctx, psp, known);
    } else {
      endpoints.lookup(ctx.pathParam("endpointId")).onComplete(ar -> {
        if (ar.failed()) {
          metrics.outcome(psp, Outcome.UNAVAILABLE, ctx.get(START));
          ctx.fail(new ApiException(503, "store_unavailable", "the endpoint table is unavailable", 1));
        } else {
          admit(ctx, psp, ar.result());
        }
      });
    }
  }

  private void admit(RoutingContext ctx, Psp psp, Endpoint endpoint) {
    if (endpoint == null || !endpoint.active() || endpoint.psp() != psp) {
      metrics.outcome(psp, Outcome.NOT_FOUND, ctx.get(START));
      ctx.fail(new ApiException(404, "endpoint_not_found", "no active webhook endpoint at this URL"));
      return;
    }
    long declared = contentLength(ctx);
    if (declared > maxBody(endpoint)) {
      refusals.record(endpoint, RefusedWebhookLog.Outcome.TOO_LARGE, tooLarge(endpoint), null,
          (int) Math.min(Integer.MAX_VALUE, declared), null);
      fail(ctx, endpoint, Outcome.TOO_LARGE, new ApiException(413, "payload_too_large",
          "webhook body exceeds " + maxBody(endpoint) + " bytes"));
      return;
    }
    if (!rateLimiter.tryAcquire(endpoint.id(), endpoint.ratePerSecond(), System.currentTimeMillis())) {
      fail(ctx, endpoint, Outcome.RATE_LIMITED, new ApiException(429, "rate_limited",
          "this endpoint is over its rate of " + endpoint.ratePerSecond() + " webhooks per second", 1));
      return;
    }
    ctx.put(ENDPOINT, endpoint);
    ctx.next();
  }

  public void handle(RoutingContext ctx) {
    Endpoint endpoint = ctx.get(ENDPOINT);
    Buffer raw = ctx.body().buffer();
    byte[] body = raw == null ? new byte[0] : raw.getBytes();
    if (body.length > maxBody(endpoint)) {
      refusals.record(endpoint, RefusedWebhookLog.Outcome.TOO_LARGE, tooLarge(endpoint), body, body.length,
          () -> identityOrNone(schemes.get(endpoint.psp()), body, ctx.request().headers()));
      fail(ctx, endpoint, Outcome.TOO_LARGE, new ApiException(413, "payload_too_large",
          "webhook body exceeds " + maxBody(endpoint) + " bytes"));
      return;
    }
    WebhookScheme scheme = schemes.get(endpoint.psp());
    MultiMap headers = ctx.request().headers();
    scheme.verify(body, headers, endpoint.secrets(), endpoint.webhookId(), System.currentTimeMillis() / 1000)
        .onComplete(ar -> {
          Verdict verdict = ar.succeeded() ? ar.result() : Verdict.MISMATCH;
          if (verdict != Verdict.VALID) {
            refusals.record(endpoint, verdict == Verdict.EXPIRED ? RefusedWebhookLog.Outcome.EXPIRED
                : RefusedWebhookLog.Outcome.BAD_SIGNATURE, RefusedWebhookLog.reason(verdict), body, body.length,
                () -> identityOrNone(scheme, body, headers));
            fail(ctx, endpoint, verdict == Verdict.EXPIRED ? Outcome.EXPIRED : Outcome.BAD_SIGNATURE,
                new ApiException(401, "invalid_signature", "webhook signature verification failed"));
            return;
          }
          EventIdentity identity;
          try {
            identity = scheme.identify(body, headers);
          } catch (BadPayloadException e) {
            refusals.record(endpoint, RefusedWebhookLog.Outcome.MALFORMED, e.getMessage(), body, body.length,
                () -> Identity.NONE);
            fail(ctx, endpoint, Outcome.BAD_REQUEST, new ApiException(400, "invalid_payload", e.getMessage()));
            return;
          }
          store(ctx, endpoint, scheme, identity, body);
        });
  }

  private void store(RoutingContext ctx, Endpoint endpoint, WebhookScheme scheme, EventIdentity identity,
                     byte[] body) {
    String key = RedisDedupe.key(endpoint.id(), identity.eventId());
    dedupe.seen(key).compose(seen -> {
      if (seen) {
        metrics.duplicateByRedis();
        return Future.succeededFuture((StoredEvent) null);
      }
      StoredEvent event = new StoredEvent(Ids.uuid7(), OffsetDateTime.now(ZoneOffset.UTC), endpoint.id(),
          endpoint.orgId(), endpoint.psp().id(), identity.eventId(), identity.eventType(),
          signatureHeaders(scheme, ctx.request().headers()), body);
      return committer.submit(event).map(inserted -> {
        dedupe.mark(key);
        if (!inserted) {
          metrics.duplicateByPostgres();
          return null;
        }
        return event;
      });
    }).onComplete(ar -> {
      if (ar.failed()) {
        ApiException err = ar.cause() instanceof ApiException api ? api
            : new ApiException(503, "store_unavailable", "the event store is unavailable", 1);
        fail(ctx, endpoint, Outcome.UNAVAILABLE, err);
        return;
      }
      StoredEvent stored = ar.result();
      boolean accepted = stored != null;
      metrics.outcome(endpoint.psp(), accepted ? Outcome.ACCEPTED : Outcome.DUPLICATE, ctx.get(START));
      ctx.response().putHeader("Content-Type", "application/json").end(accepted ? ACCEPTED : DUPLICATE);
    });
  }

  /** Failure handler of the webhook route: counts bodies the body handler refused (413) before admit ran. */
  public void countRefusedBody(RoutingContext ctx) {
    Long start = ctx.get(START);
    if (ctx.statusCode() == 413 && start == null) {
      Psp psp = Psp.parse(ctx.pathParam("psp")).filter(schemes::containsKey).orElse(null);
      if (psp != null) {
        metrics.outcome(psp, Outcome.TOO_LARGE, System.nanoTime());
        // only an endpoint already in memory: a refused body never costs a look-up
        Endpoint endpoint = endpoints.get(ctx.pathParam("endpointId"));
        if (endpoint != null && endpoint.active() && endpoint.psp() == psp) {
          long declared = contentLength(ctx);
          refusals.record(endpoint, RefusedWebhookLog.Outcome.TOO_LARGE, tooLarge(endpoint), null,
              declared < 0 ? null : (int) Math.min(Integer.MAX_VALUE, declared), null);
        }
      }
    }
    ctx.next();
  }

  private void fail(RoutingContext ctx, Endpoint endpoint, Outcome outcome, ApiException err) {
    metrics.outcome(endpoint.psp(), outcome, ctx.get(START));
    if (outcome != Outcome.UNAVAILABLE && outcome != Outcome.RATE_LIMITED) {
      LOG.atDebug().addKeyValue("requestId", RequestIds.of(ctx)).addKeyValue("endpointId", endpoint.id())
          .addKeyValue("psp", endpoint.psp().id()).log("webhook refused: {}", outcome);
    }
    ctx.fail(err);
  }

  private String tooLarge(Endpoint endpoint) {
    return "body exceeds " + maxBody(endpoint) + " bytes";
  }

  /** The event id of a refused body, when it shows one; a body that cannot be read has none. */
  private static Identity identityOrNone(WebhookScheme scheme, byte[] body, MultiMap headers) {
    try {
      EventIdentity id = scheme.identify(body, headers);
      return new Identity(id.eventId(), id.eventType());
    } catch (BadPayloadException | RuntimeException e) {
      return Identity.NONE;
    }
  }

  private int maxBody(Endpoint endpoint) {
    return endpoint.maxBodyBytes() > 0 ? Math.min(endpoint.maxBodyBytes(), defaultMaxBody) : defaultMaxBody;
  }

  private static long contentLength(RoutingContext ctx) {
    String v = ctx.request().getHeader("Content-Length");
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String signatureHeaders(WebhookScheme scheme, MultiMap headers) {
    JsonObject json = new JsonObject();
    for (String name : scheme.signatureHeaders()) {
      String v = headers.get(name);
      if (v != null) {
        json.put(name, v);
      }
    }
    return json.encode();
  }
}
