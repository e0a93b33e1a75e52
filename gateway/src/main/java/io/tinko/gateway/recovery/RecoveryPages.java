package io.tinko.gateway.recovery;

import io.tinko.common.config.TinkoConfig;
import io.tinko.engine.dunning.LinkKeys;
import io.tinko.engine.dunning.LinkTokens;
import io.tinko.engine.dunning.Messages;
import io.tinko.gateway.GatewayContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosted recovery page, {@code /r/<token>} on the gateway, where a dunning email's button leads:
 * <ul>
 *   <li>{@code GET /r/<token>}: the merchant, the amount, what failed, and a button (recorded as an "open");</li>
 *   <li>{@code POST /r/<token>/pay}: takes the link's single payment use and sends the browser to the PSP's hosted
 *       page (recorded as "pay"); a used link gets a friendly page, never a second session;</li>
 *   <li>{@code GET /r/<token>/done}: where the PSP sends the customer back (recorded as "complete"); the PSP's
 *       success webhook, not this page, marks the payment recovered (by customer_link: see V5__dunning.sql);</li>
 *   <li>{@code GET|POST /r/<token>/stop}: the unsubscribe link of every email (GET asks, POST records, so mail
 *       scanners that follow links do not unsubscribe anyone).</li>
 * </ul>
 * Tampered, expired, reused or foreign tokens get a friendly HTML page that names nobody.
 */
public final class RecoveryPages {
  private static final Logger LOG = LoggerFactory.getLogger(RecoveryPages.class);
  private final LinkStore store;
  private final HostedCheckout checkout;
  private final String publicUrl;
  private volatile LinkTokens tokens;
  private volatile Pages pages;

  private RecoveryPages(LinkStore store, HostedCheckout checkout, String publicUrl) {
    this.store = store;
    this.checkout = checkout;
    this.publicUrl = publicUrl;
  }

  /** Adds the routes now (before the router's catch-all) and completes once keys and texts are loaded. */
  public static Future<RecoveryPages> mount(Vertx vertx, Router router, GatewayContext shared) {
    TinkoConfig config = shared.config();
    RecoveryPages p = new RecoveryPages(new LinkStore(shared.pool()),
        new HostedCheckout(vertx, shared.api().secrets(), config.integer("engine.executor.pspTimeoutMs")),
        config.publicUrl());
    router.get("/r/:token").handler(ctx -> p.withLink(ctx, "pay", p::show));
    router.post("/r/:token/pay").handler(ctx -> p.withLink(ctx, "pay", p::pay));
    router.get("/r/:token/done").handler(ctx -> p.withLink(ctx, "pay", p::done));
    router.get("/r/:token/stop").handler(ctx -> p.withLink(ctx, "unsubscribe", p::confirmStop));
    router.post("/r/:token/stop").handler(ctx -> p.withLink(ctx, "unsubscribe", p::stop));
    router.route("/r/*").failureHandler(p::failed);
    return vertx.executeBlocking(() -> new Object[] {LinkKeys.load(config), Messages.load()}, false).map(loaded -> {
      p.tokens = new LinkTokens((LinkKeys) loaded[0], Clock.systemUTC());
      p.pages = new Pages((Messages) loaded[1]);
      return p;
    });
  }

  public void close() {
    checkout.close();
  }

  /** Verifies the token, finds the link by all its claims, and hands both on; anything else is the invalid page. */
  private void withLink(RoutingContext ctx, String purpose, BiConsumer<RoutingContext, Link> next) {
    String token = ctx.pathParam("token");
    LinkTokens.Verdict v = tokens.verify(token, purpose);
    if (!v.ok()) {
      LOG.atInfo().addKeyValue("refusal", v.refusal()).log("recovery link refused");
      pages.invalid(ctx, v.refusal() == LinkTokens.Refusal.EXPIRED ? 410 : 404);
      return;
    }
    store.load(v.claims()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result() == null) {
        LOG.atWarn().addKeyValue("linkId", v.claims().linkId())
            .log("a correctly signed recovery link matches no link row (other tenant or transaction)");
        pages.invalid(ctx, 404);
      } else {
        next.accept(ctx, new Link(token, v.claims(), ar.result()));
      }
    });
  }

  private record Link(String token, LinkTokens.Claims claims, Row row) {}

  private void show(RoutingContext ctx, Link l) {
    store.click(l.claims(), "open").onComplete(ar -> {
      if ("recovered".equals(l.row().getString("status"))) {
        pages.message(ctx, 200, l.row(), "page.paid");
      } else if (l.row().getValue("used_at") != null) {
        pages.message(ctx, 409, l.row(), "page.used");
      } else {
        pages.payment(ctx, l.row(), l.token());
      }
    });
  }

  private void pay(RoutingContext ctx, Link l) {
    if ("recovered".equals(l.row().getString("status"))) {
      pages.message(ctx, 200, l.row(), "page.paid");
      return;
    }
    String base = publicUrl + "/r/" + l.token();
    store.use(l.claims().linkId()).compose(first -> {
      if (!first) {
        pages.message(ctx, 409, l.row(), "page.used");
        return Future.succeededFuture();
      }
      return store.click(l.claims(), "pay")
          .compose(v -> checkout.create(l.row(), l.claims().linkId(), base + "/done", base))
          .compose(page -> store.hosted(l.claims().linkId(), page).map(page.url()))
          .onSuccess(url -> ctx.response().setStatusCode(303).putHeader("Location", url)
              .putHeader("Referrer-Policy", "no-referrer").end())
          .recover(err -> {
            LOG.atWarn().addKeyValue("linkId", l.claims().linkId()).addKeyValue("psp", l.row().getString("psp"))
                .log("hosted payment page not created: {}", err.getMessage());
            return store.release(l.claims().linkId()).onComplete(x -> pages.unavailable(ctx, l.row()))
                .map((String) null);
          }).mapEmpty();
    }).onFailure(ctx::fail);
  }

  /**
   * Back from the PSP. A link that never reached a PSP page has nothing to complete (a guessed /done URL records
   * nothing); a PayPal order is captured here, and if that fails the customer is told to try again, not thanked.
   */
  private void done(RoutingContext ctx, Link l) {
    if (l.row().getValue("used_at") == null) {
      pages.invalid(ctx, 404);
      return;
    }
    checkout.returned(l.row(), l.claims().linkId(), l.row().getString("hosted_ref"), ctx.request().getParam("token"))
        .compose(v -> Future.all(store.click(l.claims(), "complete"), store.complete(l.claims().linkId())))
        .onSuccess(v -> pages.message(ctx, 200, l.row(), "page.done"))
        .onFailure(err -> {
          LOG.atWarn().addKeyValue("linkId", l.claims().linkId()).addKeyValue("psp", l.row().getString("psp"))
              .log("return from the PSP not completed: {}", err.getMessage());
          pages.unavailable(ctx, l.row());
        });
  }

  private void confirmStop(RoutingContext ctx, Link l) {
    pages.unsubscribeConfirm(ctx, l.row(), l.token());
  }

  private void stop(RoutingContext ctx, Link l) {
    String email = l.row().getString("customer_email");
    Future<Void> saved = email == null ? Future.succeededFuture() : store.unsubscribe(l.claims().orgId(), email);
    saved.compose(v -> store.click(l.claims(), "unsubscribe"))
        .onSuccess(v -> pages.message(ctx, 200, l.row(), "page.unsubscribed")).onFailure(ctx::fail);
  }

  /** Storage trouble: a page that says "try again", never a stack trace or JSON. */
  private void failed(RoutingContext ctx) {
    LOG.warn("recovery page failed: {}", ctx.failure() == null ? ctx.statusCode() : ctx.failure().toString());
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      pages.invalid(ctx, ctx.statusCode());
    } else {
      pages.trouble(ctx);
    }
  }
}
