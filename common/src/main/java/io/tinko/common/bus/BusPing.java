package io.tinko.common.bus;

import io.vertx.core.Vertx;

/**
 * Every process answers on {@link Addresses#PING} with its role; readiness checks send there to prove the event
 * bus (local or clustered) delivers.
 */
public final class BusPing {
  private BusPing() {}

  public static void register(Vertx vertx, String role) {
    vertx.eventBus().consumer(Addresses.PING, msg -> msg.reply(role));
  }
}
