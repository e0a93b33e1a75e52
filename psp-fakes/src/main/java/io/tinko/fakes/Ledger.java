package io.tinko.fakes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What a fake PSP did, per idempotency key (Stripe Idempotency-Key, PayPal PayPal-Request-Id, the key Tinko writes
 * into a Razorpay order's notes): requests received, charges made (money moved), declines. Thread-safe.
 */
public final class Ledger {
  /** A charge that moved money. */
  public record Charge(String key, String target, long amountMinor, String currency) {}

  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> charges = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> declines = new ConcurrentHashMap<>();
  private final List<Charge> all = new CopyOnWriteArrayList<>();
  private final List<Consumer<Charge>> listeners = new CopyOnWriteArrayList<>();

  void request(String key) {
    count(requests, key);
  }

  void charged(Charge c) {
    count(charges, c.key());
    all.add(c);
    listeners.forEach(l -> l.accept(c));
  }

  void declined(String key) {
    count(declines, key);
  }

  /** Requests received with this key, replays included. */
  public int requests(String key) {
    return get(requests, key);
  }

  /** Charges made under this key: more than one means a double charge. */
  public int charges(String key) {
    return get(charges, key);
  }

  public int declines(String key) {
    return get(declines, key);
  }

  /** Every charge made, in order. */
  public List<Charge> charges() {
    return List.copyOf(all);
  }

  /** Called on the fake's event loop after each charge (e.g. to send the PSP's success webhook). */
  public void onCharge(Consumer<Charge> listener) {
    listeners.add(listener);
  }

  private static void count(Map<String, AtomicInteger> m, String key) {
    m.computeIfAbsent(key == null ? "" : key, k -> new AtomicInteger()).incrementAndGet();
  }

  private static int get(Map<String, AtomicInteger> m, String key) {
    AtomicInteger n = m.get(key);
    return n == null ? 0 : n.get();
  }
}
