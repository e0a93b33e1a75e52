package io.tinko.gateway.api.branding;

import io.tinko.gateway.api.Access;
import io.tinko.gateway.api.Principal;
import io.tinko.gateway.api.Reply;
import io.tinko.gateway.api.openapi.Params;
import io.tinko.gateway.http.ApiException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * The tenant's branding ({@code tenant_branding}): the name, logo, support address and reply-to that the recovery
 * emails (engine's DunningSender) and the hosted /r/ page show to the tenant's customers. A field left null falls back:
 * the name to the organisation's, the reply-to to the support address, then to the deployment's {@code smtp.from}.
 * A PUT replaces the whole branding.
 */
public final class BrandingRoutes {
  /** One address, no display name, no whitespace (so nothing can be smuggled into a mail header). */
  static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
      + "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
  static final int MAX_NAME = 100;
  static final int MAX_URL = 2048;
  static final int MAX_EMAIL = 254;

  private static final String GET = """
      SELECT b.display_name, b.logo_url, b.support_email, b.reply_to, b.updated_at
        FROM tenant_branding b WHERE b.org_id = $1""";
  private static final String PUT = """
      INSERT INTO tenant_branding (org_id, display_name, logo_url, support_email, reply_to)
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (org_id) DO UPDATE SET display_name = excluded.display_name, logo_url = excluded.logo_url,
          support_email = excluded.support_email, reply_to = excluded.reply_to, updated_at = now()
      RETURNING display_name, logo_url, support_email, reply_to, updated_at""";

  private final Pool pool;

  public BrandingRoutes(Pool pool) {
    this.pool = pool;
  }

  /** GET /v1/branding: the stored branding, every field null when the tenant has none. */
  public void get(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    Reply.json(ctx, 200, pool.preparedQuery(GET).execute(Tuple.of(p.orgId()))
        .map(rows -> json(rows.size() == 0 ? null : rows.iterator().next())));
  }

  /** PUT /v1/branding: validates every field, then replaces the tenant's branding. */
  public void put(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    JsonObject body = Params.body(ctx);
    String name = text(body, "name", MAX_NAME);
    String logo = httpsUrl(text(body, "logoUrl", MAX_URL));
    String support = email(body, "supportEmail");
    String replyTo = email(body, "replyTo");
    Reply.json(ctx, 200, pool.preparedQuery(PUT).execute(Tuple.of(p.orgId(), name, logo, support, replyTo))
        .map(rows -> json(rows.iterator().next())));
  }

  private static JsonObject json(Row r) {
    return new JsonObject().put("name", r == null ? null : r.getString("display_name"))
        .put("logoUrl", r == null ? null : r.getString("logo_url"))
        .put("supportEmail", r == null ? null : r.getString("support_email"))
        .put("replyTo", r == null ? null : r.getString("reply_to"))
        .put("updatedAt", r == null ? null : Reply.time(r.getOffsetDateTime("updated_at")));
  }

  /** The trimmed text, null when absent or blank; control characters (a header's CR/LF) are refused. */
  static String text(JsonObject body, String field, int max) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw invalid(field + " must be a string or null");
    }
    String t = s.strip();
    if (t.isEmpty()) {
      return null;
    }
    if (t.length() > max) {
      throw invalid(field + " may have at most " + max + " characters");
    }
    if (t.chars().anyMatch(Character::isISOControl)) {
      throw invalid(field + " must not contain control characters");
    }
    return t;
  }

  /** An absolute https URL with a host (customers' mail clients and browsers load it; never http, never data:). */
  static String httpsUrl(String url) {
    if (url == null) {
      return null;
    }
    try {
      URI u = new URI(url);
      if ("https".equalsIgnoreCase(u.getScheme()) && u.getHost() != null && !u.getHost().isEmpty()
          && u.getUserInfo() == null && !url.contains(" ") && !url.contains("\"") && !url.contains("<")) {
        return url;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw invalid("logoUrl must be an absolute https URL");
  }

  static String email(JsonObject body, String field) {
    String e = text(body, field, MAX_EMAIL);
    if (e != null && !EMAIL.matcher(e).matches()) {
      throw invalid(field + " must be one email address (name@example.com)");
    }
    return e;
  }

  private static ApiException invalid(String message) {
    return new ApiException(400, "validation_failed", "invalid request: " + message);
  }
}
