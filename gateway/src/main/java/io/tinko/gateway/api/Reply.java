package io.tinko.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Writes a handler's result, or hands its failure to the one error handler. */
public final class Reply {
  private Reply() {}

  public static void json(RoutingContext ctx, int status, Future<?> result) {
    result.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      if (ctx.response().ended()) {
        return;
      }
      Object body = ar.result();
      ctx.response().setStatusCode(status);
      if (status == 204 || body == null) {
        ctx.response().end();
        return;
      }
      String encoded = body instanceof JsonObject o ? o.encode() : body instanceof JsonArray a ? a.encode()
          : String.valueOf(body);
      ctx.response().putHeader("Content-Type", "application/json").end(encoded);
    });
  }

  /** RFC 3339 in UTC with seconds always present (OffsetDateTime.toString drops ":00"); null stays null. */
  public static String time(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  /** The client's address for rate limits and the login audit. */
  public static String clientAddress(RoutingContext ctx, boolean trustForwardedFor) {
    if (trustForwardedFor) {
      String fwd = ctx.request().getHeader("X-Forwarded-For");
      if (fwd != null && !fwd.isBlank()) {
        String first = fwd.split(",", 2)[0].trim();
        if (!first.isEmpty() && first.length() <= 64) {
          return first;
        }
      }
    }
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
  }
}
