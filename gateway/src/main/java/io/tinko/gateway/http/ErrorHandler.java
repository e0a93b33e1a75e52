package io.tinko.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
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
    write(ctx.response(), status, code, message, retryAfter, requestId);
  }

  /**
   * Writes the error answer: the JSON body, {@code Retry-After} when given, {@code Connection: close} for a 413.
   * Also used by the webhook path, which answers without the router.
   */
  public static void write(HttpServerResponse response, int status, String code, String message,
                           Integer retryAfter, String requestId) {
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
    if (status == 413) {
      // the rest of an oversized or broken body is not worth reading; do not keep the connection
      response.putHeader("Connection", "close");
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(body(code, message, requestId));
  }

  /** An unexpected failure outside the router: logged and answered as {@link #handle} does it. */
  public static void internalError(HttpServerResponse response, Throwable failure, String requestId, String path) {
    LOG.atError().setCause(failure).addKeyValue("requestId", requestId).addKeyValue("path", path)
        .log("request failed with {}", 500);
    write(response, 500, "internal_error", "internal error; quote the request id when reporting it", null,
        requestId);
  }

  /** The answer to a status without an exception (as {@code ctx.fail(413)} from the body handler gives). */
  public static void writeStatus(HttpServerResponse response, int status, String requestId) {
    write(response, status, codeFor(status), defaultMessage(status), null, requestId);
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
