package io.tinko.loadtests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FlushProbeTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  @DisplayName("a probe's slow flushes, at a load rate: the requests due in each flush's first (length - target) ms")
  void floor() {
    long start = 5 * SECOND;
    // flushes in nanoTime ms: a 300 ms one 10 s in, a 150 ms one 20 s in
    List<FlushStalls.Flush> slow = List.of(new FlushStalls.Flush(15_000, 15_300, "probe"),
        new FlushStalls.Flush(25_000, 25_150, "probe"));
    FlushStalls.Bound b = FlushProbe.floor(slow, start, start + 60 * SECOND, 3000, 100);
    // 3 requests a ms: (300 - 100) * 3 + (150 - 100) * 3
    assertEquals(750, b.heldLate());
    assertEquals(2, b.stalls());
    assertEquals(300, b.longestMs(), 1e-9);
    // 180,000 due in 60 s; p99 allows 1 %
    assertEquals(1_800, b.allowed());
  }

  @Test
  @DisplayName("a slow flush at the probe's end counts only up to the end")
  void clippedAtTheEnd() {
    List<FlushStalls.Flush> slow = List.of(new FlushStalls.Flush(1_900, 2_200, "probe"));
    // the span ends at 2,000 ms: only the 100 ms before it, at 1 request a ms
    assertEquals(100, FlushProbe.floor(slow, SECOND, 2 * SECOND, 1000, 100).heldLate());
  }
}
