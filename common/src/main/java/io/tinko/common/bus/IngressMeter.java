package io.tinko.common.bus;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhook requests the gateways of this Vert.x instance have admitted and not yet answered. When the gateway and the
 * engine share one process (and its cores) — {@code tinko up} — the engine reads it to give the edge priority: once
 * answers have queued up for {@link #SUSTAIN_MILLIS}, the engine stops taking CPU until the edge has kept up for
 * {@link #HOLD_MILLIS}, longer each time the burst comes back soon after ({@link #RECUR_MILLIS}). PSPs give seconds
 * to answer; a retry decision has hours; every deferred event is already stored. In a cluster the engine's process
 * has its own meter, which nothing feeds, so it never defers.
 *
 * <p>Requests waiting, not requests per second: a fixed rate would either defer decisions the machine could make
 * (below the engine's own capacity) or never trigger (the engine's competition keeps the gateway from reaching it).
 *
 * <p>The queue's time average, not its value at one moment. The queue is a saw: requests pile up until a group
 * commit answers a hundred of them at once. Its value when the engine looks (right after a commit) is the bottom of a
 * tooth, and a gateway at its capacity can stay under any threshold there; its top is reached whenever a slow commit
 * or a clump of arrivals comes by, at rates the machine keeps up with. Its average over a
 * {@link #WINDOW_MILLIS} window is the answers' rate times their latency (Little's law): about 20 at 3,000 webhooks/s
 * answered in ~6 ms, near the connection count at capacity. The edge is busy once every window of
 * {@link #SUSTAIN_MILLIS} averaged over the threshold ({@link #RECUR_SUSTAIN_MILLIS} for a burst that comes back
 * soon after a hold).
 */
public final class IngressMeter implements Shareable {
  /** How long the edge counts as busy after a window last averaged over the threshold (the first time). */
  public static final long HOLD_MILLIS = 2000;
  /**
   * A burst that starts again within this long after a hold ended doubles the hold, up to {@link #MAX_HOLD_MILLIS}:
   * a gateway at its capacity falls behind again as soon as the engine comes back, and each return costs its
   * answers a burst of latency. An engine that then runs this long without one goes back to {@link #HOLD_MILLIS}.
   */
  public static final long RECUR_MILLIS = 10_000;
  /** The longest a hold grows to. */
  public static final long MAX_HOLD_MILLIS = 60_000;
  /**
   * Every window of this long must average over the threshold before the edge counts as busy, the first time. Two
   * seconds: a gateway at its capacity stays behind for as long as the load lasts, while a stretch of slow commits
   * (the disk's cache flushes stall now and then, for up to ~0.9 s on the machine this was measured on) ends by
   * itself; deferring for it would cost its events the sweeper's delay (tens of seconds) for answers that were only
   * a few hundred ms late.
   */
  public static final long SUSTAIN_MILLIS = 2000;
  /**
   * The sustain time of a burst that comes back within {@link #RECUR_MILLIS} after a hold ended: that is the gateway
   * at its capacity falling behind again as the engine returns, and each window of waiting costs its answers.
   */
  public static final long RECUR_SUSTAIN_MILLIS = 500;
  /** The queue is averaged over windows of this long (a look that comes later closes a longer one). */
  public static final long WINDOW_MILLIS = 250;
  private static final long MS = 1_000_000L;
  private static final String MAP = "tinko.ingress";

  private final AtomicInteger inFlight = new AtomicInteger();
  // guarded by this: the queue's integral over the current window, in request-nanoseconds
  private long area;
  private long lastChangeNanos;
  private long windowStartNanos;
  private boolean started;
  /** Windows in a row, up to the last one closed, that averaged over the threshold. */
  private int windowsOver;
  private boolean everBusy;
  private long busyUntilNanos;
  private long holdNanos = HOLD_MILLIS * MS;
  /** The average queue of the last window closed, for the engine's log. */
  private double lastAverage;

  IngressMeter() {
  }

  /** The meter of this Vert.x instance (created on first use). */
  public static IngressMeter of(Vertx vertx) {
    return (IngressMeter) vertx.sharedData().getLocalMap(MAP).computeIfAbsent("meter", k -> new IngressMeter());
  }

  /** A webhook request was admitted. */
  public void begin() {
    change(1, System.nanoTime());
  }

  /** A webhook request was answered (or its connection closed). */
  public void end() {
    change(-1, System.nanoTime());
  }

  synchronized void change(int delta, long now) {
    accrue(now);
    inFlight.addAndGet(delta);
  }

  private void accrue(long now) {
    if (!started) {
      started = true;
      lastChangeNanos = windowStartNanos = now;
    }
    area += inFlight.get() * (now - lastChangeNanos);
    lastChangeNanos = now;
  }

  public int inFlight() {
    return inFlight.get();
  }

  /**
   * True once the queue averaged over {@code threshold} requests in every window of {@link #SUSTAIN_MILLIS}, and
   * then until the hold ({@link #HOLD_MILLIS}, doubled for each burst within {@link #RECUR_MILLIS} of the last hold's
   * end) after the last window that did (so the engine does not flap: a gateway at its capacity goes on averaging
   * over the threshold while the engine stays out of its way). {@code threshold <= 0}: never busy.
   */
  public boolean busy(int threshold) {
    return busy(threshold, System.nanoTime());
  }

  synchronized boolean busy(int threshold, long now) {
    if (threshold <= 0) {
      return false;
    }
    accrue(now);
    long length = now - windowStartNanos;
    if (length >= WINDOW_MILLIS * MS) {
      boolean over = area > (long) threshold * length;
      lastAverage = (double) area / length;
      windowsOver = over ? windowsOver + 1 : 0;
      area = 0;
      windowStartNanos = now;
      boolean held = holding(now);
      boolean recurring = everBusy && now - busyUntilNanos < RECUR_MILLIS * MS;
      if (over && (held || windowsOver * WINDOW_MILLIS >= (recurring ? RECUR_SUSTAIN_MILLIS : SUSTAIN_MILLIS))) {
        if (!held) {
          holdNanos = recurring ? Math.min(2 * holdNanos, MAX_HOLD_MILLIS * MS) : HOLD_MILLIS * MS;
        }
        everBusy = true;
        busyUntilNanos = now + holdNanos;
      }
    }
    return holding(now);
  }

  /** The webhooks waiting for their answer on average over the last window closed (for logs). */
  public synchronized double lastWindowAverage() {
    return lastAverage;
  }

  /** How long the current (or last) hold lasts, in milliseconds (for logs). */
  public synchronized long holdMillis() {
    return holdNanos / MS;
  }

  private boolean holding(long now) {
    return everBusy && now - busyUntilNanos < 0;
  }
}
