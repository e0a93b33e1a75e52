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
import io.tinko.gateway.http.ErrorHandler;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
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
  private static final String ADMITTED = "tinko.webhook.admitted";
  private static final byte[] NO_BODY = new byte[0];
  /** The most a body buffer starts with before its bytes arrive (vertx-web's BodyHandler preallocates at most this). */
  private static final int PREALLOCATE_MAX = 64 * 1024;
  private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized(RequestIds.HEADER);
  private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");
  private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
  private static final Psp[] PSPS = Psp.values();
  private static final String[] PSP_IDS = Arrays.stream(PSPS).map(Psp::id).toArray(String[]::new);

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

  /**
   * Serves a plain {@code POST /v1/webhooks/{psp}/{endpointId}} straight from the HTTP server's request handler,
   * without the router and its body handler, which cost about a tenth of the gateway's CPU per webhook. Returns
   * false, having touched nothing, for every request it leaves to the router: other methods and paths, paths that
   * need decoding or normalising ({@link WebhookPath}), {@code Expect} headers, form content types, HTTP/2. What it
   * serves gets the same answers, headers, metrics and refusal records as the routed path.
   */
  public boolean serve(HttpServerRequest req) {
    if (req.method() != HttpMethod.POST || req.version() != HttpVersion.HTTP_1_1) {
      return false;
    }
    WebhookPath path = WebhookPath.parse(req.path());
    if (path == null) {
      return false;
    }
    MultiMap headers = req.headers();
    if (headers.contains(HttpHeaders.EXPECT) || isForm(headers.get(HttpHeaders.CONTENT_TYPE)) || req.isEnded()) {
      return false;
    }
    String requestId = RequestIds.accept(headers.get(REQUEST_ID));
    req.response().putHeader(REQUEST_ID, requestId);
    Direct x = new Direct(req, path.psp(), path.endpointId(), requestId);
    try {
      // what BodyHandler did before the route's own handlers ran
      long declared = declaredLength(headers.get(HttpHeaders.CONTENT_LENGTH));
      if (declared == -1 && !headers.contains(HttpHeaders.TRANSFER_ENCODING)) {
        x.body = NO_BODY;
        admit(x);
      } else if (declared > defaultMaxBody) {
        x.refuseBody();
      } else {
        x.collect(declared);
      }
    } catch (RuntimeException e) {
      x.crash(e);
    }
    return true;
  }

  /**
   * The routed path, after the body handler: for the webhook URLs {@link #serve(HttpServerRequest)} leaves to the
   * router.
   */
  public void serve(RoutingContext ctx) {
    ctx.put(ADMITTED, Boolean.TRUE);
    admit(new Routed(ctx));
  }

  /** Endpoint, size and rate checks, before any signature work. */
  private void admit(Exchange x) {
    x.start = System.nanoTime();
    ingress.begin();
    x.whenEnded(ingress);
    Psp psp = psp(x.pspSegment);
    if (psp == null) {
      x.fail(new ApiException(404, "endpoint_not_found", "no active webhook endpoint at this URL"));
      return;
    }
    Endpoint known = endpoints.get(x.endpointId);
    if (known != null) {
      admit(x, psp, known);
    } else {
      endpoints.lookup(x.endpointId).onComplete(ar -> x.guard(() -> {
        if (ar.failed()) {
          metrics.outcome(psp, Outcome.UNAVAILABLE, x.start);
          x.fail(new ApiException(503, "store_unavailable", "the endpoint table is unavailable", 1));
        } else {
          admit(x, psp, ar.result());
        }
      }));
    }
  }

  private void admit(Exchange x, Psp psp, Endpoint endpoint) {
    if (endpoint == null || !endpoint.active() || endpoint.psp() != psp) {
      metrics.outcome(psp, Outcome.NOT_FOUND, x.start);
      x.fail(new ApiException(404, "endpoint_not_found", "no active webhook endpoint at this URL"));
      return;
    }
    long declared = declaredLength(x.request.getHeader(HttpHeaders.CONTENT_LENGTH));
    if (declared > maxBody(endpoint)) {
      refusals.record(endpoint, RefusedWebhookLog.Outcome.TOO_LARGE, tooLarge(endpoint), null,
          (int) Math.min(Integer.MAX_VALUE, declared), null);
      fail(x, endpoint, Outcome.TOO_LARGE, new ApiException(413, "payload_too_large",
          "webhook body exceeds " + maxBody(endpoint) + " bytes"));
      return;
    }
    if (!rateLimiter.tryAcquire(endpoint.id(), endpoint.ratePerSecond(), System.currentTimeMillis())) {
      fail(x, endpoint, Outcome.RATE_LIMITED, new ApiException(429, "rate_limited",
          "this endpoint is over its rate of " + endpoint.ratePerSecond() + " webhooks per second", 1));
      return;
    }
    verify(x, endpoint);
  }

  private void verify(Exchange x, Endpoint endpoint) {
    byte[] body = x.body;
    if (body.length > maxBody(endpoint)) {
      MultiMap headers = x.request.headers();
      refusals.record(endpoint, RefusedWebhookLog.Outcome.TOO_LARGE, tooLarge(endpoint), body, body.length,
          () -> identityOrNone(schemes.get(endpoint.psp()), body, headers));
      fail(x, endpoint, Outcome.TOO_LARGE, new ApiException(413, "payload_too_large",
          "webhook body exceeds " + maxBody(endpoint) + " bytes"));
      return;
    }
    WebhookScheme scheme = schemes.get(endpoint.psp());
    MultiMap headers = x.request.headers();
    scheme.verify(body, headers, endpoint.secrets(), endpoint.webhookId(), System.currentTimeMillis() / 1000)
        .onComplete(ar -> x.guard(() -> {
          Verdict verdict = ar.succeeded() ? ar.result() : Verdict.MISMATCH;
          if (verdict != Verdict.VALID) {
            refusals.record(endpoint, verdict == Verdict.EXPIRED ? RefusedWebhookLog.Outcome.EXPIRED
                : RefusedWebhookLog.Outcome.BAD_SIGNATURE, RefusedWebhookLog.reason(verdict), body, body.length,
                () -> identityOrNone(scheme, body, headers));
            fail(x, endpoint, verdict == Verdict.EXPIRED ? Outcome.EXPIRED : Outcome.BAD_SIGNATURE,
                new ApiException(401, "invalid_signature", "webhook signature verification failed"));
            return;
          }
          EventIdentity identity;
          try {
            identity = scheme.identify(body, headers);
          } catch (BadPayloadException e) {
            refusals.record(endpoint, RefusedWebhookLog.Outcome.MALFORMED, e.getMessage(), body, body.length,
                () -> Identity.NONE);
            fail(x, endpoint, Outcome.BAD_REQUEST, new ApiException(400, "invalid_payload", e.getMessage()));
            return;
          }
          store(x, endpoint, scheme, identity, body);
        }));
  }

  private void store(Exchange x, Endpoint endpoint, WebhookScheme scheme, EventIdentity identity, byte[] body) {
    String key = RedisDedupe.key(endpoint.id(), identity.eventId());
    dedupe.seen(key).compose(seen -> {
      if (seen) {
        metrics.duplicateByRedis();
        return Future.succeededFuture((StoredEvent) null);
      }
      StoredEvent event = new StoredEvent(Ids.uuid7(), OffsetDateTime.now(ZoneOffset.UTC), endpoint.id(),
          endpoint.orgId(), endpoint.psp().id(), identity.eventId(), identity.eventType(),
          signatureHeaders(scheme, x.request.headers()), body);
      return committer.submit(event).map(inserted -> {
        dedupe.mark(key);
        if (!inserted) {
          metrics.duplicateByPostgres();
          return null;
        }
        return event;
      });
    }).onComplete(ar -> x.guard(() -> {
      if (ar.failed()) {
        ApiException err = ar.cause() instanceof ApiException api ? api
            : new ApiException(503, "store_unavailable", "the event store is unavailable", 1);
        fail(x, endpoint, Outcome.UNAVAILABLE, err);
        return;
      }
      boolean accepted = ar.result() != null;
      metrics.outcome(endpoint.psp(), accepted ? Outcome.ACCEPTED : Outcome.DUPLICATE, x.start);
      x.request.response().putHeader(CONTENT_TYPE, APPLICATION_JSON).end(accepted ? ACCEPTED : DUPLICATE);
    }));
  }

  /** Failure handler of the routed webhook path: counts bodies the body handler refused (413) before admit ran. */
  public void countRefusedBody(RoutingContext ctx) {
    if (ctx.statusCode() == 413 && ctx.get(ADMITTED) == null) {
      refusedBody(ctx.pathParam("psp"), ctx.pathParam("endpointId"), ctx.request().getHeader("Content-Length"));
    }
    ctx.next();
  }

  /** A body refused for its size before admission: counted, and recorded when the endpoint is in memory. */
  private void refusedBody(String pspSegment, String endpointId, String contentLengthHeader) {
    Psp psp = psp(pspSegment);
    if (psp != null) {
      metrics.outcome(psp, Outcome.TOO_LARGE, System.nanoTime());
      // only an endpoint already in memory: a refused body never costs a look-up
      Endpoint endpoint = endpoints.get(endpointId);
      if (endpoint != null && endpoint.active() && endpoint.psp() == psp) {
        long declared = declaredLength(contentLengthHeader);
        refusals.record(endpoint, RefusedWebhookLog.Outcome.TOO_LARGE, tooLarge(endpoint), null,
            declared < 0 ? null : (int) Math.min(Integer.MAX_VALUE, declared), null);
      }
    }
  }

  private void fail(Exchange x, Endpoint endpoint, Outcome outcome, ApiException err) {
    metrics.outcome(endpoint.psp(), outcome, x.start);
    if (outcome != Outcome.UNAVAILABLE && outcome != Outcome.RATE_LIMITED) {
      LOG.atDebug().addKeyValue("requestId", x.requestId).addKeyValue("endpointId", endpoint.id())
          .addKeyValue("psp", endpoint.psp().id()).log("webhook refused: {}", outcome);
    }
    x.fail(err);
  }

  /** The PSP of a path segment when this gateway has its scheme; no allocation, unlike {@link Psp#parse}. */
  private Psp psp(String segment) {
    for (int i = 0; i < PSPS.length; i++) {
      if (PSP_IDS[i].equals(segment)) {
        return schemes.containsKey(PSPS[i]) ? PSPS[i] : null;
      }
    }
    return null;
  }

  /** One webhook request on its way through admit → verify → store; the two kinds differ in how they answer. */
  private abstract static class Exchange {
    final HttpServerRequest request;
    final String pspSegment;
    final String endpointId;
    final String requestId;
    byte[] body;
    long start;

    Exchange(HttpServerRequest request, String pspSegment, String endpointId, String requestId) {
      this.request = request;
      this.pspSegment = pspSegment;
      this.endpointId = endpointId;
      this.requestId = requestId;
    }

    /** Answers with the error (status, JSON body with the request id, Retry-After). */
    abstract void fail(ApiException err);

    /** Calls the meter's {@code end} once, when the answer is written or the connection closes. */
    abstract void whenEnded(IngressMeter meter);

    /** Runs a step of an asynchronous continuation, answering 500 if it throws (as the router does). */
    abstract void guard(Runnable step);
  }

  /** Routed by vertx-web: errors go to the router's error handler. */
  private static final class Routed extends Exchange {
    private final RoutingContext ctx;

    Routed(RoutingContext ctx) {
      super(ctx.request(), ctx.pathParam("psp"), ctx.pathParam("endpointId"), RequestIds.of(ctx));
      this.ctx = ctx;
      Buffer raw = ctx.body().buffer();
      body = raw == null ? NO_BODY : raw.getBytes();
    }

    @Override
    void fail(ApiException err) {
      ctx.fail(err);
    }

    @Override
    void whenEnded(IngressMeter meter) {
      ctx.addEndHandler(ended -> meter.end());
    }

    @Override
    void guard(Runnable step) {
      // the router answers 500 only for what a handler throws synchronously; a continuation's exception would
      // otherwise leave the PSP without an answer
      try {
        step.run();
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    }
  }

  /** Served straight from the HTTP server: collects its own body, under the same cap the body handler had. */
  private final class Direct extends Exchange implements Handler<Buffer> {
    private byte[] buffer;
    private int size;
    private boolean refused;
    private IngressMeter meter;

    Direct(HttpServerRequest request, String pspSegment, String endpointId, String requestId) {
      super(request, pspSegment, endpointId, requestId);
    }

    void collect(long declared) {
      // grown as bytes arrive, as the body handler did: a declared length alone (up to the cap, from anyone, before
      // the endpoint is known) must not reserve its whole size
      buffer = new byte[declared >= 0 ? (int) Math.min(declared, PREALLOCATE_MAX) : 1024];
      request.handler(this);
      request.endHandler(v -> {
        if (!refused) {
          body = size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
          buffer = null;
          guard(() -> admit(this));
        }
      });
    }

    @Override
    public void handle(Buffer chunk) {
      if (refused) {
        return;
      }
      int n = chunk.length();
      if ((long) size + n > defaultMaxBody) {
        guard(this::refuseBody);
        return;
      }
      if (size + n > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.min(defaultMaxBody, Math.max(size + n, buffer.length * 2)));
      }
      chunk.getBytes(0, n, buffer, size);
      size += n;
    }

    /** As the body handler's 413 and the route's failure handler did it. */
    void refuseBody() {
      refused = true;
      buffer = null;
      refusedBody(pspSegment, endpointId, request.getHeader(HttpHeaders.CONTENT_LENGTH));
      ErrorHandler.writeStatus(request, 413, requestId);
    }

    @Override
    void fail(ApiException err) {
      ErrorHandler.write(request, err.status(), err.code(), err.getMessage(), err.retryAfterSeconds(),
          requestId);
    }

    @Override
    void whenEnded(IngressMeter ingressMeter) {
      meter = ingressMeter;
      Handler<Void> once = v -> {
        IngressMeter m = meter;
        if (m != null) {
          meter = null;
          m.end();
        }
      };
      request.response().endHandler(once).closeHandler(once);
    }

    @Override
    void guard(Runnable step) {
      try {
        step.run();
      } catch (RuntimeException e) {
        crash(e);
      }
    }

    void crash(RuntimeException e) {
      ErrorHandler.internalError(request, e, requestId, request.path());
    }
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

  /**
   * The declared Content-Length, read as vertx-web's BodyHandler reads it: -1 when absent, empty, negative or not a
   * number. The body cap, the admission check and the refusal record all use this one reading (netty has already
   * trimmed the value).
   */
  static long declaredLength(String v) {
    if (v == null || v.isEmpty()) {
      return -1;
    }
    try {
      long n = Long.parseLong(v);
      return n < 0 ? -1 : n;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The content types for which BodyHandler parses a form; such requests stay on the routed path. */
  private static boolean isForm(String contentType) {
    if (contentType == null) {
      return false;
    }
    // case-insensitive prefixes without a lower-cased copy of the header per request
    return contentType.regionMatches(true, 0, "multipart/form-data", 0, 19)
        || contentType.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33);
  }

  /** The scheme's signature headers as a JSON object, stored to verify the event again later. */
  static String signatureHeaders(WebhookScheme scheme, MultiMap headers) {
    StringBuilder json = new StringBuilder(160).append('{');
    for (String name : scheme.signatureHeaders()) {
      String v = headers.get(name);
      if (v != null) {
        if (!plainJsonString(name) || !plainJsonString(v)) {
          return signatureHeadersEscaped(scheme, headers);
        }
        if (json.length() > 1) {
          json.append(',');
        }
        json.append('"').append(name).append("\":\"").append(v).append('"');
      }
    }
    return json.append('}').toString();
  }

  /** Any value that needs escaping: Jackson writes it. */
  private static String signatureHeadersEscaped(WebhookScheme scheme, MultiMap headers) {
    JsonObject json = new JsonObject();
    for (String name : scheme.signatureHeaders()) {
      String v = headers.get(name);
      if (v != null) {
        json.put(name, v);
      }
    }
    return json.encode();
  }

  /** Printable ASCII without quote or backslash: the same characters inside a JSON string. */
  private static boolean plainJsonString(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
