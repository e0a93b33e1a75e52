package io.tinko.gateway.api;

import io.tinko.gateway.http.ApiException;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may call a route: nobody needs a credential for {@link #PUBLIC}; the others name the lowest role allowed and
 * whether an API key may call it at all (managing keys and members takes a person).
 */
public record Access(Role minimum, boolean usersOnly) {
  public static final Access PUBLIC = new Access(null, false);
  public static final Access READ = new Access(Role.ANALYST, false);
  public static final Access DEVELOP = new Access(Role.DEVELOPER, false);
  public static final Access DEVELOP_USER = new Access(Role.DEVELOPER, true);
  public static final Access ADMIN = new Access(Role.ADMIN, false);
  public static final Access ADMIN_USER = new Access(Role.ADMIN, true);

  private static final String KEY = "tinko.principal";

  public boolean isPublic() {
    return minimum == null;
  }

  public boolean allows(Principal p) {
    return !isPublic() && p.role().atLeast(minimum) && (!usersOnly || p.isUser());
  }

  public static void set(RoutingContext ctx, Principal p) {
    ctx.put(KEY, p);
  }

  /** The authenticated caller; only called on routes behind the authenticator. */
  public static Principal of(RoutingContext ctx) {
    Principal p = ctx.get(KEY);
    if (p == null) {
      throw new ApiException(401, "unauthorized", "authentication required");
    }
    return p;
  }

  /** Route guard: 403 when the caller's role (or credential kind) is not enough. */
  public void check(RoutingContext ctx) {
    Principal p = of(ctx);
    if (!allows(p)) {
      ctx.fail(new ApiException(403, "forbidden", usersOnly && !p.isUser()
          ? "API keys cannot call this route; sign in as a member"
          : "the " + p.role().id() + " role cannot do this; " + minimum.id() + " or above can"));
      return;
    }
    ctx.next();
  }
}
