package io.tinko.gateway.api.auth;

import io.tinko.gateway.api.ApiSettings;
import io.tinko.gateway.api.Reply;
import io.tinko.gateway.api.openapi.Params;
import io.tinko.gateway.api.org.Invitations;
import io.tinko.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Register, login, refresh, logout and accepting an invitation: the routes that take no bearer credential. Each is
 * throttled per client address, login also per account; passwords are hashed and checked on worker threads.
 */
public final class AuthRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(AuthRoutes.class);
  private static final String BAD_LOGIN = "the email or the password is wrong";

  private final AuthStore store;
  private final Invitations invitations;
  private final PasswordHasher hasher;
  private final LoginLimiter limiter;
  private final AccessTokens tokens;
  private final ApiSettings settings;

  public AuthRoutes(AuthStore store, Invitations invitations, PasswordHasher hasher, LoginLimiter limiter,
                    AccessTokens tokens, ApiSettings settings) {
    this.store = store;
    this.invitations = invitations;
    this.hasher = hasher;
    this.limiter = limiter;
    this.tokens = tokens;
    this.settings = settings;
  }

  public void register(RoutingContext ctx) {
    JsonObject body = Params.body(ctx);
    String password = body.getString("password");
    Reply.json(ctx, 201, limiter.admit("register", address(ctx), null)
        .compose(v -> checkPassword(password))
        .compose(v -> hasher.hash(password))
        .compose(hash -> store.register(body.getString("organization").trim(), body.getString("email").trim(), hash)));
  }

  public void login(RoutingContext ctx) {
    JsonObject body = Params.body(ctx);
    String email = body.getString("email").trim();
    String password = body.getString("password");
    String address = address(ctx);
    Reply.json(ctx, 200, limiter.admit("login", address, email)
        .compose(v -> store.findByEmail(email))
        .compose(user -> {
          Future<Boolean> ok = user == null ? hasher.matchesNothing(password)
              : hasher.matches(password, user.passwordHash());
          return ok.compose(match -> {
            if (match && !user.disabled()) {
              return limiter.succeeded(email).compose(v -> store.openSession(user))
                  .compose(s -> audit(email, user, address, "success").map(v -> tokenPair(s)));
            }
            String outcome = user == null ? "unknown_email" : match ? "disabled" : "bad_password";
            return limiter.failed(email).compose(v -> audit(email, user, address, outcome))
                .compose(v -> Future.failedFuture(new ApiException(401, "invalid_credentials", BAD_LOGIN)));
          });
        }));
  }

  public void refresh(RoutingContext ctx) {
    Reply.json(ctx, 200, store.refresh(Params.body(ctx).getString("refreshToken")).map(this::tokenPair));
  }

  public void logout(RoutingContext ctx) {
    Reply.json(ctx, 204, store.logout(Params.body(ctx).getString("refreshToken")));
  }

  public void acceptInvitation(RoutingContext ctx) {
    JsonObject body = Params.body(ctx);
    String password = body.getString("password");
    Reply.json(ctx, 201, limiter.admit("invitation", address(ctx), null)
        .compose(v -> checkPassword(password))
        .compose(v -> hasher.hash(password))
        .compose(hash -> invitations.accept(body.getString("token"), hash)));
  }

  private JsonObject tokenPair(AuthStore.Session s) {
    return new JsonObject().put("accessToken", tokens.issue(s.userId(), s.orgId(), s.sessionId(), s.role()))
        .put("refreshToken", s.refreshToken()).put("tokenType", "Bearer").put("expiresIn", tokens.ttlSeconds());
  }

  private Future<Void> checkPassword(String password) {
    if (password.length() < settings.passwordMinLength()) {
      return Future.failedFuture(new ApiException(400, "validation_failed",
          "invalid request: body /password: must be at least " + settings.passwordMinLength() + " characters"));
    }
    return Future.succeededFuture();
  }

  /** The audit row is best effort: a login is not refused because its audit line could not be written. */
  private Future<Void> audit(String email, AuthStore.UserRow user, String address, String outcome) {
    return store.audit(email, user, address, outcome).recover(err -> {
      LOG.atWarn().addKeyValue("outcome", outcome).log("login audit not written: {}", err.getMessage());
      return Future.succeededFuture();
    });
  }

  private String address(RoutingContext ctx) {
    return Reply.clientAddress(ctx, settings.trustForwardedFor());
  }
}
