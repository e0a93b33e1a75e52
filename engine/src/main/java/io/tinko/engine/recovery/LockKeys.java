package io.tinko.engine.recovery;

import io.tinko.common.domain.Psp;
import io.tinko.engine.normalize.NormalizedEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * 64-bit advisory-lock ids for what a group of events touches: each correlation key, a Razorpay subscription,
 * a Razorpay customer (the link between a subscription's events and its invoice payment). Taken in ascending
 * order at the start of the group's transaction, so two engines never lock in opposite orders; anything that may
 * end up in the same transaction is serialized, a new one included (a row lock cannot guard a row that does not
 * exist yet). A hash collision only makes two unrelated groups wait for each other.
 */
final class LockKeys {
  private long[] keys = new long[64];
  private int size;

  void payment(NormalizedEvent n) {
    String prefix = n.orgId() + "|" + n.psp().id() + "|";
    for (String key : n.correlationKeys()) {
      add(hash(prefix + key));
    }
    if (n.psp() == Psp.RAZORPAY && n.refs().subscriptionId() != null) {
      add(hash(prefix + "subscription-ref:" + n.refs().subscriptionId()));
    }
    if (n.psp() == Psp.RAZORPAY && n.refs().customerId() != null) {
      add(hash(prefix + "customer-ref:" + n.refs().customerId()));
    }
  }

  /** Distinct ids in ascending order. */
  Long[] sorted() {
    long[] copy = Arrays.copyOf(keys, size);
    Arrays.sort(copy);
    return Arrays.stream(copy).distinct().boxed().toArray(Long[]::new);
  }

  private void add(long k) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
    }
    keys[size++] = k;
  }

  /** FNV-1a, 64 bit: cheap and well spread for short strings. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
