package io.tinko.gateway.api;

import io.tinko.engine.dunning.DunningSequences;
import io.tinko.engine.retry.RetryPolicies;
import io.tinko.gateway.GatewayContext;
import io.tinko.gateway.api.analytics.AnalyticsRoutes;
import io.tinko.gateway.api.auth.AccessTokens;
import io.tinko.gateway.api.auth.AuthRoutes;
import io.tinko.gateway.api.auth.AuthStore;
import io.tinko.gateway.api.auth.Authenticator;
import io.tinko.gateway.api.auth.LoginLimiter;
import io.tinko.gateway.api.auth.PasswordHasher;
import io.tinko.gateway.api.branding.BrandingRoutes;
import io.tinko.gateway.api.connections.ConnectionRoutes;
import io.tinko.gateway.api.events.EventRoutes;
import io.tinko.gateway.api.keys.ApiKeyRoutes;
import io.tinko.gateway.api.notifications.NotificationRoutes;
import io.tinko.gateway.api.openapi.OpenApi;
import io.tinko.gateway.api.org.Invitations;
import io.tinko.gateway.api.org.MemberRoutes;
import io.tinko.gateway.api.org.OrgRoutes;
import io.tinko.gateway.api.policies.PolicyRoutes;
import io.tinko.gateway.api.transactions.TransactionRoutes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The merchant API (/v1 beside the webhooks, and /openapi.json), mounted on the gateway's router. Every operation
 * runs the same chain: body (if any) → authentication (unless public) → role check → OpenAPI validation → handler;
 * failures of any step go to the gateway's one error handler. One instance per gateway verticle.
 */
public final class MerchantApi {
  private static final int MAX_BODY_BYTES = 64 * 1024;

  /** One mounted operation: what the OpenAPI coverage test compares with the document. */
  public record Operation(HttpMethod method, String path, String operationId, Access access) {
  }

  private final Router router;
  private final Promise<OpenApi> openApi = Promise.promise();
  private final Redis redis;
  private final Authenticator authenticator;
  private final BodyHandler bodies = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
  private final List<Operation> operations = new ArrayList<>();
  private final Map<String, Handler<RoutingContext>> validators = new HashMap<>();

  private MerchantApi(Router router, Redis redis, Authenticator authenticator) {
    this.router = router;
    this.redis = redis;
    this.authenticator = authenticator;
  }

  /**
   * Adds the routes to {@code router} now (so they sit before its catch-all 404) and completes when the contract
   * and the retry-policy defaults are loaded; listen only after that.
   */
  public static Future<MerchantApi> mount(Vertx vertx, Router router, GatewayContext shared) {
    ApiShared keys = shared.api();
    ApiSettings s = ApiSettings.from(shared.config());
    Pool pool = shared.pool();
    // logins arrive in bursts (every dashboard visit of a load test signs in): let them queue for a connection
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(shared.redisUrl())
        .setMaxPoolSize(8).setMaxPoolWaiting(4096));
    AccessTokens tokens = new AccessTokens(keys.jwtKey(), s.issuer(), s.accessTokenSeconds(), s.clockSkewSeconds(),
        Clock.systemUTC());
    MerchantApi api = new MerchantApi(router, redis, new Authenticator(pool, tokens));
    Invitations invitations = new Invitations(pool, s.invitationSeconds());
    AuthRoutes auth = new AuthRoutes(new AuthStore(pool, s.refreshTokenSeconds(), s.sessionMaxSeconds()), invitations,
        new PasswordHasher(vertx, s.passwordMemoryKib(), s.passwordIterations()),
        new LoginLimiter(redis, s.maxAttemptsPerIp(), s.maxFailuresPerAccount(), s.loginWindowSeconds()), tokens, s);
    OrgRoutes org = new OrgRoutes(pool, invitations);
    MemberRoutes members = new MemberRoutes(pool);
    ApiKeyRoutes apiKeys = new ApiKeyRoutes(pool);
    ConnectionRoutes connections = new ConnectionRoutes(vertx, pool, keys.secrets(), s.publicUrl(),
        s.rotationGraceSeconds());
    TransactionRoutes transactions = new TransactionRoutes(pool, s.maxPageSize());
    EventRoutes events = new EventRoutes(vertx, pool, s.maxPageSize());
    Future<RetryPolicies> defaults = vertx.executeBlocking(RetryPolicies::loadDefaults, false);
    PolicyRoutes policies = new PolicyRoutes(pool, defaults);

    router.get("/openapi.json").handler(ctx -> api.openApi.future().onSuccess(doc -> doc.serve(ctx)));
    api.op(HttpMethod.POST, "/v1/auth/register", "register", Access.PUBLIC, auth::register);
    api.op(HttpMethod.POST, "/v1/auth/login", "login", Access.PUBLIC, auth::login);
    api.op(HttpMethod.POST, "/v1/auth/refresh", "refreshToken", Access.PUBLIC, auth::refresh);
    api.op(HttpMethod.POST, "/v1/auth/logout", "logout", Access.PUBLIC, auth::logout);
    api.op(HttpMethod.POST, "/v1/auth/accept-invitation", "acceptInvitation", Access.PUBLIC, auth::acceptInvitation);
    api.op(HttpMethod.GET, "/v1/me", "getMe", Access.READ, org::me);
    api.op(HttpMethod.GET, "/v1/org", "getOrganization", Access.READ, org::organization);
    api.op(HttpMethod.GET, "/v1/org/members", "listMembers", Access.ADMIN, members::list);
    api.op(HttpMethod.PATCH, "/v1/org/members/{id}", "updateMember", Access.ADMIN_USER, members::update);
    api.op(HttpMethod.POST, "/v1/org/members/{id}/disable", "disableMember", Access.ADMIN_USER, members::disable);
    api.op(HttpMethod.POST, "/v1/org/members/{id}/enable", "enableMember", Access.ADMIN_USER, members::enable);
    api.op(HttpMethod.DELETE, "/v1/org/members/{id}", "removeMember", Access.ADMIN_USER, members::remove);
    api.op(HttpMethod.POST, "/v1/org/invitations", "createInvitation", Access.ADMIN_USER, org::invite);
    api.op(HttpMethod.GET, "/v1/api-keys", "listApiKeys", Access.DEVELOP, apiKeys::list);
    api.op(HttpMethod.POST, "/v1/api-keys", "createApiKey", Access.DEVELOP_USER, apiKeys::create);
    api.op(HttpMethod.DELETE, "/v1/api-keys/{id}", "revokeApiKey", Access.DEVELOP_USER, apiKeys::revoke);
    api.op(HttpMethod.GET, "/v1/psp-connections", "listConnections", Access.READ, connections::list);
    api.op(HttpMethod.POST, "/v1/psp-connections", "createConnection", Access.DEVELOP, connections::create);
    api.op(HttpMethod.GET, "/v1/psp-connections/{id}", "getConnection", Access.READ, connections::get);
    api.op(HttpMethod.POST, "/v1/psp-connections/{id}/rotate-secret", "rotateConnectionSecret", Access.DEVELOP,
        connections::rotateSecret);
    api.op(HttpMethod.POST, "/v1/psp-connections/{id}/retire-previous-secret", "retirePreviousSecret",
        Access.DEVELOP, connections::retirePreviousSecret);
    api.op(HttpMethod.POST, "/v1/psp-connections/{id}/disable", "disableConnection", Access.DEVELOP,
        connections::disable);
    api.op(HttpMethod.GET, "/v1/transactions", "listTransactions", Access.READ, transactions::list);
    api.op(HttpMethod.GET, "/v1/transactions/{id}", "getTransaction", Access.READ, transactions::get);
    api.op(HttpMethod.GET, "/v1/retry-policies", "listRetryPolicies", Access.READ, policies::list);
    api.op(HttpMethod.PUT, "/v1/retry-policies/{class}", "putRetryPolicy", Access.ADMIN, policies::put);
    api.op(HttpMethod.DELETE, "/v1/retry-policies/{class}", "resetRetryPolicy", Access.ADMIN, policies::reset);
    api.op(HttpMethod.GET, "/v1/events", "listEvents", Access.READ, events::list);
    api.op(HttpMethod.POST, "/v1/events/{id}/replay", "replayEvent", Access.DEVELOP, events::replay);
    NotificationRoutes notifications = new NotificationRoutes(pool, s.maxPageSize(),
        vertx.executeBlocking(DunningSequences::loadDefaults, false));
    api.op(HttpMethod.GET, "/v1/notifications", "listNotifications", Access.READ, notifications::list);
    api.op(HttpMethod.GET, "/v1/dunning-sequences", "listDunningSequences", Access.READ,
        notifications::listSequences);
    api.op(HttpMethod.PUT, "/v1/dunning-sequences/{class}", "putDunningSequence", Access.ADMIN,
        notifications::putSequence);
    api.op(HttpMethod.DELETE, "/v1/dunning-sequences/{class}", "resetDunningSequence", Access.ADMIN,
        notifications::resetSequence);
    BrandingRoutes branding = new BrandingRoutes(pool);
    api.op(HttpMethod.GET, "/v1/branding", "getBranding", Access.READ, branding::get);
    api.op(HttpMethod.PUT, "/v1/branding", "putBranding", Access.ADMIN, branding::put);
    AnalyticsRoutes analytics = new AnalyticsRoutes(pool, shared.config().integer("analytics.maxRangeDays"));
    api.op(HttpMethod.GET, "/v1/analytics/summary", "analyticsSummary", Access.READ, analytics::summary);
    api.op(HttpMethod.GET, "/v1/analytics/timeseries", "analyticsTimeseries", Access.READ, analytics::timeseries);
    api.op(HttpMethod.GET, "/v1/analytics/breakdown", "analyticsBreakdown", Access.READ, analytics::breakdown);
    api.op(HttpMethod.GET, "/v1/analytics/export.csv", "analyticsExport", Access.READ, analytics::export);

    OpenApi.load(vertx).onSuccess(doc -> api.operations.forEach(o -> api.validators.put(o.operationId(),
        doc.validate(o.operationId())))).onComplete(api.openApi);
    return Future.all(api.openApi.future(), defaults).map(v -> api);
  }

  public List<Operation> operations() {
    return List.copyOf(operations);
  }

  public void close() {
    redis.close();
  }

  private void op(HttpMethod method, String path, String operationId, Access access, Handler<RoutingContext> h) {
    operations.add(new Operation(method, path, operationId, access));
    Route route = router.route(method, path.replaceAll("\\{([A-Za-z]+)}", ":$1"));
    if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
      route.handler(bodies);
    }
    if (!access.isPublic()) {
      route.handler(authenticator).handler(access::check);
    }
    // filled when the contract has loaded, which is before the server listens (see mount)
    route.handler(ctx -> validators.get(operationId).handle(ctx)).handler(h);
  }
}
