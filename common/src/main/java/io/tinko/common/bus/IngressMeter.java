package io.tinko.common.bus;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook requests arriving at the gateways of this Vert.x instance, per second. When the gateway and the engine
 * share one process (and its cores) — {@code tinko up} — the engine reads it to give the edge priority during a burst:
 * the PSPs' delivery deadlines are seconds, a retry decision's are hours, and every event is already durable. In a
 * cluster the engine's process has its own meter, which nothing feeds, so it never defers.
 *
 * <p>Lock-free: one counter for the current second and the total of the last complete one.
 */
public final class IngressMeter implements Shareable {
  private static final String MAP = "tinko.ingress";

  private final AtomicLong second = new AtomicLong();
  private final AtomicLong current = new AtomicLong();
  private volatile long previous;

  IngressMeter() {
  }

  /** The meter of this Vert.x instance (created on first use). */
  public static IngressMeter of(Vertx vertx) {
    return (IngressMeter) vertx.sharedData().getLocalMap(MAP).computeIfAbsent("meter", k -> new IngressMeter());
  }

  /** Counts one arriving request. */
  public void record() {
    roll(System.currentTimeMillis() / 1000);
    current.incrementAndGet();
  }

  /** Requests per second: the larger of the last complete second and the current one so far. */
  public long perSecond() {
    roll(System.currentTimeMillis() / 1000);
    return Math.max(previous, current.get());
  }

  private void roll(long now) {
    long s = second.get();
    if (s < now && second.compareAndSet(s, now)) {
      // a request counted between the swap and the reset lands in the new second: off by one, harmless here
      long last = current.getAndSet(0);
      previous = s == now - 1 ? last : 0;
    }
  }
}
