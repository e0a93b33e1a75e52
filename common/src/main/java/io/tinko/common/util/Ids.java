package io.tinko.common.util;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Identifiers. */
public final class Ids {
  private Ids() {}

  /**
   * A time-ordered UUID (version 7: 48-bit Unix milliseconds, then random bits). Rows inserted in time order land
   * at the right edge of their B-tree index instead of at random pages, and no SecureRandom lock is taken per id.
   */
  public static UUID uuid7() {
    long ms = System.currentTimeMillis();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (ms << 16) | 0x7000L | (r.nextLong() & 0x0FFFL);
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
