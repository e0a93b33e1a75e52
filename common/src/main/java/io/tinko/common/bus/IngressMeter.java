package io.tinko.common.bus;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhook requests the gateways of this Vert.x instance have admitted and not yet answered. When the gateway and the
 * engine share one process (and its cores) — {@code tinko up} — the engine reads it to give the edge priority: once
 * answers start to queue up, the engine stops taking CPU until the edge has kept up for {@link #HOLD_MILLIS}. PSPs
 * give seconds to answer; a retry decision has hours; every deferred event is already stored. In a cluster the
 * engine's process has its own meter, which nothing feeds, so it never defers.
 *
 * <p>Requests waiting, not requests per second: a fixed rate would either defer decisions the machine could make
 * (below the engine's own capacity) or never trigger (the engine's competition keeps the gateway from reaching it).
 */
public final class IngressMeter implements Shareable {
  /** How long the edge counts as busy after the last time it was seen over the threshold. */
  public static final long HOLD_MILLIS = 2000;
  private static final String MAP = "tinko.ingress";

  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile long busyUntilMillis;

  IngressMeter() {
  }

  /** The meter of this Vert.x instance (created on first use). */
  public static IngressMeter of(Vertx vertx) {
    return (IngressMeter) vertx.sharedData().getLocalMap(MAP).computeIfAbsent("meter", k -> new IngressMeter());
  }

  /** A webhook request was admitted. */
  public void begin() {
    inFlight.incrementAndGet();
  }

  /** A webhook request was answered (or its connection closed). */
  public void end() {
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }

  /**
   * True while more than {@code threshold} requests wait for their answer, and for {@link #HOLD_MILLIS} after that
   * was last seen (so the engine does not flap with every group commit). {@code threshold <= 0}: never busy.
   */
  public boolean busy(int threshold) {
    if (threshold <= 0) {
      return false;
    }
    long now = System.currentTimeMillis();
    if (inFlight.get() > threshold) {
      busyUntilMillis = now + HOLD_MILLIS;
      return true;
    }
    return now < busyUntilMillis;
  }
}
