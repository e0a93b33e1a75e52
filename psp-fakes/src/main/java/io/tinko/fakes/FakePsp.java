package io.tinko.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local HTTP server speaking one PSP's API. Behaviour is scripted per target (an invoice, a customer, a
 * subscription): each charge the fake executes takes the next {@link Step}, approving when none is left.
 * Replays of stored answers (idempotency) consume no step, which is what lets a test tell a resend from a charge.
 */
public abstract class FakePsp {
  protected final Vertx vertx;
  protected final Ledger ledger = new Ledger();
  private final Map<String, Deque<Step>> scripts = new ConcurrentHashMap<>();
  private HttpServer server;

  protected FakePsp(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Listens on {@code port} (0 = any free one) on 127.0.0.1. */
  public Future<FakePsp> start(int port) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create());
    routes(router);
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").map(s -> {
      server = s;
      return this;
    });
  }

  protected abstract void routes(Router router);

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public int port() {
    return server.actualPort();
  }

  public Ledger ledger() {
    return ledger;
  }

  /** Queues answers for the charges of one target (Stripe invoice/PaymentIntent, Razorpay customer, PayPal subscription). */
  public FakePsp script(String target, Step... steps) {
    Deque<Step> q = scripts.computeIfAbsent(target, t -> new ArrayDeque<>());
    synchronized (q) {
      q.addAll(java.util.List.of(steps));
    }
    return this;
  }

  protected Step next(String target) {
    Deque<Step> q = scripts.get(target);
    if (q == null) {
      return Step.approve();
    }
    synchronized (q) {
      Step s = q.poll();
      return s == null ? Step.approve() : s;
    }
  }

  protected static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** Sends the answer now, or after the step's delay (the charge has happened either way). */
  protected void answer(RoutingContext ctx, Step step, int status, JsonObject body) {
    if (step.kind() == Step.Kind.SLOW_APPROVE && step.delayMs() > 0) {
      vertx.setTimer(step.delayMs(), t -> {
        if (!ctx.response().closed()) {
          json(ctx, status, body);
        }
      });
    } else {
      json(ctx, status, body);
    }
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
