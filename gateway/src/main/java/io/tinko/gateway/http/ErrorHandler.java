package io.tinko.gateway.http;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place error bodies are written: {@code {"error":{"code","message","requestId"}}}. 4xx are the caller's
 * fault and logged at debug; 5xx are ours and logged with the request id.
 */
public final class ErrorHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status;
    String code;
    String message;
    Integer retryAfter = null;
    if (failure instanceof ApiException api) {
      status = api.status();
      code = api.code();
      message = api.getMessage();
      retryAfter = api.retryAfterSeconds();
    } else if (failure instanceof HttpException http) {
      status = http.getStatusCode();
      code = codeFor(status);
      message = http.getPayload() != null ? http.getPayload() : defaultMessage(status);
    } else if (failure == null && ctx.statusCode() >= 400) {
      status = ctx.statusCode();
      code = codeFor(status);
      message = defaultMessage(status);
    } else {
      status = 500;
      code = "internal_error";
      message = "internal error; quote the request id when reporting it";
    }
    String requestId = RequestIds.of(ctx);
    // a deliberate 503 (load shed, store down) is counted in metrics, not logged per request: under overload a
    // log line per refusal would spend the CPU the refusals are meant to save
    if (status >= 500 && !(failure instanceof ApiException)) {
      LOG.atError().setCause(failure).addKeyValue("requestId", requestId).addKeyValue("path", ctx.normalizedPath())
          .log("request failed with {}", status);
    }
    write(ctx.request(), status, code, message, retryAfter, requestId);
  }

  /**
   * Writes the error answer: the JSON body, {@code Retry-After} when given, {@code Connection: close} for a 413.
   * Also used by the webhook path, which answers without the router.
   *
   * <p>After a 413 on HTTP/1.x the connection is closed once the answer is written and the body has ended, or
   * {@link #LINGER_MS} later at most. Vert.x keeps an HTTP/1.1 connection open unless the request asked to close it,
   * whatever header the response carries, so the header alone would let a client stream an unbounded body after the
   * 413; closing at once, with body bytes still arriving, would reset the connection and could lose the 413 itself.
   */
  public static void write(HttpServerRequest request, int status, String code, String message,
                           Integer retryAfter, String requestId) {
    HttpServerResponse response = request.response();
    if (response.ended()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    if (retryAfter != null) {
      response.putHeader("Retry-After", Integer.toString(retryAfter));
    }
    boolean close = status == 413 && request.version() != HttpVersion.HTTP_2;
    if (close) {
      response.putHeader("Connection", "close");
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(body(code, message, requestId))
        .onComplete(written -> {
          if (close) {
            closeWhenBodyEnds(request);
          }
        });
  }

  /** How long the rest of a refused body is read and dropped before the connection is closed regardless. */
  static final long LINGER_MS = 2_000;

  private static void closeWhenBodyEnds(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    Context context = Vertx.currentContext();
    if (request.isEnded() || context == null) {
      connection.close();
      return;
    }
    long timer = context.owner().setTimer(LINGER_MS, t -> connection.close());
    request.endHandler(ended -> {
      context.owner().cancelTimer(timer);
      connection.close();
    });
  }

  /** An unexpected failure outside the router: logged and answered as {@link #handle} does it. */
  public static void internalError(HttpServerRequest request, Throwable failure, String requestId, String path) {
    LOG.atError().setCause(failure).addKeyValue("requestId", requestId).addKeyValue("path", path)
        .log("request failed with {}", 500);
    write(request, 500, "internal_error", "internal error; quote the request id when reporting it", null,
        requestId);
  }

  /** The answer to a status without an exception (as {@code ctx.fail(413)} from the body handler gives). */
  public static void writeStatus(HttpServerRequest request, int status, String requestId) {
    write(request, status, codeFor(status), defaultMessage(status), null, requestId);
  }

  public static String body(String code, String message, String requestId) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)
        .put("requestId", requestId)).encode();
  }

  static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      case 429 -> "rate_limited";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal_error" : "error";
    };
  }

  static String defaultMessage(int status) {
    return switch (status) {
      case 400 -> "the request is malformed";
      case 401 -> "authentication failed";
      case 403 -> "not allowed";
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this resource";
      case 413 -> "the request body is too large";
      case 415 -> "unsupported content type";
      case 429 -> "too many requests";
      case 503 -> "temporarily unavailable, retry later";
      default -> "internal error";
    };
  }
}
