package io.tinko.gateway.webhook;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-endpoint request rate, in fixed one-second windows, per gateway process. Kept in memory rather than Redis:
 * it guards this process against one endpoint's flood and must cost nothing on the hot path; with N gateways
 * behind a balancer an endpoint may reach N times its limit.
 */
public final class RateLimiter {
  private final ConcurrentHashMap<String, AtomicLong> windows = new ConcurrentHashMap<>();

  /** True when the request may proceed. */
  public boolean tryAcquire(String endpointId, int perSecond, long nowMillis) {
    long second = nowMillis / 1000;
    AtomicLong w = windows.computeIfAbsent(endpointId, k -> new AtomicLong());
    while (true) {
      long v = w.get();
      long windowSecond = v >>> 24;
      long count = v & 0xFFFFFF;
      long next;
      if (windowSecond != second) {
        next = (second << 24) | 1;
      } else if (count >= perSecond || count >= 0xFFFFFF) {
        return false;
      } else {
        next = v + 1;
      }
      if (w.compareAndSet(v, next)) {
        return true;
      }
    }
  }
}
