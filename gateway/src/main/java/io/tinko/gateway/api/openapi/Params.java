package io.tinko.gateway.api.openapi;

import io.tinko.gateway.http.ApiException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.Map;
import java.util.UUID;

/** Typed access to a request's parameters and body as the OpenAPI validation passed them. */
public final class Params {
  static final String KEY = "tinko.validated";

  private Params() {}

  static ValidatedRequest validated(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(KEY);
    if (v == null) {
      throw new IllegalStateException("route " + ctx.currentRoute().getPath() + " has no OpenAPI validation");
    }
    return v;
  }

  public static JsonObject body(RoutingContext ctx) {
    RequestParameter b = validated(ctx).getBody();
    return b == null || b.isNull() || !b.isJsonObject() ? new JsonObject() : b.getJsonObject();
  }

  public static String query(RoutingContext ctx, String name) {
    return string(validated(ctx).getQuery(), name);
  }

  public static Long queryLong(RoutingContext ctx, String name) {
    RequestParameter p = validated(ctx).getQuery().get(name);
    return p == null || p.isNull() ? null : p.getLong();
  }

  public static String path(RoutingContext ctx, String name) {
    return string(validated(ctx).getPathParameters(), name);
  }

  /** A UUID path parameter; one that is not a UUID names no object, so it is 404 like any unknown id. */
  public static UUID pathUuid(RoutingContext ctx, String name) {
    String s = path(ctx, name);
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ApiException(404, "not_found", "no such resource");
    }
  }

  private static String string(Map<String, RequestParameter> map, String name) {
    RequestParameter p = map.get(name);
    if (p == null || p.isNull()) {
      return null;
    }
    Object v = p.get();
    return v == null ? null : v.toString();
  }
}
