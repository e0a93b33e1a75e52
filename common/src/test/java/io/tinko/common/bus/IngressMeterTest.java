package io.tinko.common.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

class IngressMeterTest {
  @Test
  void oneMeterPerVertxInstance() {
    Vertx a = Vertx.vertx();
    Vertx b = Vertx.vertx();
    try {
      assertThat(IngressMeter.of(a)).isSameAs(IngressMeter.of(a));
      assertThat(IngressMeter.of(a)).isNotSameAs(IngressMeter.of(b));
      IngressMeter.of(a).begin();
      assertThat(IngressMeter.of(a).inFlight()).isEqualTo(1);
      assertThat(IngressMeter.of(b).inFlight()).isZero();
    } finally {
      a.close();
      b.close();
    }
  }

  private static final long MS = 1_000_000L;
  private static final long W = IngressMeter.WINDOW_MILLIS * MS;
  private static final long HOLD = IngressMeter.HOLD_MILLIS * MS;
  /** Windows in the sustain time. */
  private static final int SUSTAIN = (int) (IngressMeter.SUSTAIN_MILLIS / IngressMeter.WINDOW_MILLIS);
  /** Any origin: System.nanoTime() may be negative. */
  private static final long T = -5_000_000_000L;

  private static void admit(IngressMeter m, int n, long at) {
    for (int i = 0; i < n; i++) {
      m.change(1, at);
    }
  }

  private static void answer(IngressMeter m, int n, long at) {
    for (int i = 0; i < n; i++) {
      m.change(-1, at);
    }
  }

  @Test
  void busyOnceEveryWindowOfTheSustainAveragedOverAndForTheHoldAfter() {
    IngressMeter m = new IngressMeter();
    assertThat(m.busy(10, T)).as("nothing seen yet").isFalse();
    admit(m, 10, T);
    assertThat(m.busy(10, T + W)).as("10 waiting throughout is not over 10").isFalse();
    m.change(1, T + W);
    for (int w = 2; w <= SUSTAIN; w++) {
      assertThat(m.busy(10, T + w * W)).as("%d windows over are not a burst yet", w - 1).isFalse();
    }
    long at = T + (SUSTAIN + 1) * W;
    assertThat(m.busy(10, at)).as("every window of the sustain time over").isTrue();
    assertThat(m.busy(0, at)).as("0 turns deferral off").isFalse();
    answer(m, 11, at);
    assertThat(m.busy(10, at + W)).as("held after the queue drained").isTrue();
    assertThat(m.busy(10, at + HOLD - 1)).isTrue();
    assertThat(m.busy(10, at + HOLD)).as("the hold runs out").isFalse();
  }

  @Test
  void aSlowCommitNowAndThenIsNotABurst() {
    IngressMeter m = new IngressMeter();
    m.busy(100, T);
    // 20 requests waiting, and in every window a commit that took 100 ms with 150 more answers waiting on it (an
    // average of 80: at the top of each tooth 170 wait, over the threshold)
    admit(m, 20, T);
    for (int w = 0; w < 20; w++) {
      long start = T + w * W;
      admit(m, 150, start + 50 * MS);
      answer(m, 150, start + 150 * MS);
      assertThat(m.busy(100, start + W)).as("window " + w).isFalse();
    }
  }

  @Test
  void aSecondOfSlowCommitsIsNotABurst() {
    IngressMeter m = new IngressMeter();
    m.busy(128, T);
    // 3,000 webhooks/s: 20 waiting; then the disk's flushes hold the commits back for a second (the longest flush
    // stall measured under load was 0.9 s), 200 waiting throughout (every window over the threshold), after which
    // the answers catch up
    admit(m, 20, T);
    long now = T;
    for (int w = 1; w <= 1000 / IngressMeter.WINDOW_MILLIS; w++) {
      if (w == 1) {
        admit(m, 180, now);
      }
      now += W;
      assertThat(m.busy(128, now)).as("stalled window " + w).isFalse();
    }
    answer(m, 180, now);
    for (int w = 0; w < 3 * SUSTAIN; w++) {
      now += W;
      assertThat(m.busy(128, now)).as("caught up, window " + w).isFalse();
    }
  }

  @Test
  void aBurstThatComesBackSoonAfterAHoldNeedsOnlyTheShortSustain() {
    IngressMeter m = new IngressMeter();
    m.busy(10, T);
    long now = burst(m, T);
    long end = now + held(m, now) * MS;
    // the engine comes back; a second later the gateway is behind again
    admit(m, 11, end + 1000 * MS);
    now = end + 1000 * MS;
    int windows = 0;
    while (!m.busy(10, now)) {
      now += W;
      windows++;
      assertThat(windows).as("busy within the short sustain").isLessThanOrEqualTo(
          (int) (IngressMeter.RECUR_SUSTAIN_MILLIS / IngressMeter.WINDOW_MILLIS) + 1);
    }
    answer(m, 11, now);
    // long after that hold, a burst needs the full sustain time again
    long later = now + held(m, now) * MS + IngressMeter.RECUR_MILLIS * MS;
    admit(m, 11, later);
    for (int w = 1; w <= SUSTAIN; w++) {
      assertThat(m.busy(10, later + w * W)).as("first-time sustain, window " + w).isFalse();
    }
    assertThat(m.busy(10, later + (SUSTAIN + 1) * W)).isTrue();
  }

  @Test
  void aGatewayAtItsCapacityIsBusyWhereverTheEngineLooks() {
    IngressMeter m = new IngressMeter();
    m.busy(128, T);
    // 256 connections always waiting, but every 5 ms a commit answers 200 of them and the engine looks at once,
    // before they are sent again: the bottom of the saw is 56, its average over 200
    boolean busy = false;
    long now = T;
    for (int i = 0; i < 2 * IngressMeter.SUSTAIN_MILLIS / 5 && !busy; i++) {
      admit(m, i == 0 ? 256 : 200, now);
      now += 5 * MS;
      answer(m, 200, now);
      busy = m.busy(128, now);
    }
    assertThat(busy).isTrue();
    assertThat(now - T).as("after its sustain time, within a window of it")
        .isBetween(IngressMeter.SUSTAIN_MILLIS * MS, IngressMeter.SUSTAIN_MILLIS * MS + W);
  }

  @Test
  void onceBusyAWindowOverNowAndThenKeepsItBusy() {
    IngressMeter m = new IngressMeter();
    m.busy(10, T);
    admit(m, 11, T);
    for (int w = 1; w < SUSTAIN; w++) {
      m.busy(10, T + w * W);
    }
    long now = T + SUSTAIN * W;
    answer(m, 11, now);
    assertThat(m.busy(10, now)).isTrue();
    // with the engine out of the way the gateway keeps up, and falls behind for a window every 1.5 s
    for (int round = 1; round <= 5; round++) {
      now += 1500 * MS;
      assertThat(m.busy(10, now - W)).as("held, round " + round).isTrue();
      admit(m, 11, now - W);
      answer(m, 11, now);
      assertThat(m.busy(10, now)).as("a window over within the hold, round " + round).isTrue();
    }
    assertThat(m.busy(10, now + HOLD)).as("the hold runs out").isFalse();
    admit(m, 11, now + HOLD);
    answer(m, 11, now + HOLD + W);
    assertThat(m.busy(10, now + HOLD + W)).as("after it, a burst needs its sustain time again").isFalse();
  }

  /** A queue of 11 against a threshold of 10 for the sustain time from {@code start}: busy at the returned time. */
  private static long burst(IngressMeter m, long start) {
    admit(m, 11, start);
    long now = start;
    while (!m.busy(10, now)) {
      now += W;
      assertThat(now - start).as("busy within its sustain time").isLessThanOrEqualTo((SUSTAIN + 1) * W);
    }
    answer(m, 11, now);
    return now;
  }

  /** How long the meter stays busy after {@code from} with the queue empty (to the millisecond). */
  private static long held(IngressMeter m, long from) {
    long t = from;
    while (m.busy(10, t + MS)) {
      t += MS;
    }
    return (t + MS - from) / MS;
  }

  @Test
  void aBurstThatComesBackSoonAfterTheHoldDoublesItUpToItsMaximum() {
    IngressMeter m = new IngressMeter();
    m.busy(10, T);
    long now = burst(m, T);
    long expected = IngressMeter.HOLD_MILLIS;
    for (int round = 0; round < 8; round++) {
      long held = held(m, now);
      assertThat(held).as("hold, round " + round).isEqualTo(expected);
      // the engine comes back, and 1.5 s later the gateway is behind again
      now = burst(m, now + held * MS + 1500 * MS);
      expected = Math.min(2 * expected, IngressMeter.MAX_HOLD_MILLIS);
    }
    assertThat(expected).isEqualTo(IngressMeter.MAX_HOLD_MILLIS);
    long held = held(m, now);
    assertThat(held).isEqualTo(IngressMeter.MAX_HOLD_MILLIS);
    // an engine that then runs past the recurrence time without a burst starts from the first hold again
    now = burst(m, now + held * MS + IngressMeter.RECUR_MILLIS * MS);
    assertThat(held(m, now)).isEqualTo(IngressMeter.HOLD_MILLIS);
  }

  @Test
  void theClockOfTheProcessDrivesThePublicMethods() throws Exception {
    IngressMeter m = new IngressMeter();
    m.begin();
    m.begin();
    assertThat(m.inFlight()).isEqualTo(2);
    assertThat(m.busy(1)).isFalse();
    long deadline = System.nanoTime() + 5_000_000_000L;
    boolean busy = false;
    while (!busy && System.nanoTime() < deadline) {
      Thread.sleep(50);
      busy = m.busy(1);
    }
    assertThat(busy).as("busy within 5 s of a queue that stays").isTrue();
    m.end();
    m.end();
    assertThat(m.inFlight()).isZero();
  }
}
