package io.tinko.loadtests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FlushStallsTest {
  // perf trace -T lines: start (CLOCK_MONOTONIC, ms), duration, caller; one split call's meaningless duration
  private static final List<String> TRACE = List.of(
      "  1000.000 (45.000 ms): postgres/25604 fdatasync(fd: 15)                          = 0",
      "  1020.000 (60.000 ms): postgres/25858 fdatasync(fd: 12)                          = 0",
      "  1500.000 (18446744073708.723 ms): postgres/25604  ... [continued]: fdatasync()  = 0",
      "  2000.000 (25.000 ms): :25859/25859 fdatasync(fd: 15)                            = 0",
      "  3000.000 (130.000 ms): postgres/25859 fdatasync(fd: 15)                         = 0",
      "  3000.000 (12.000 ms): postgres/25549 sync_file_range(fd: 10, flags: WRITE)      = 0",
      "  9000.000 (500.000 ms): postgres/25859 fdatasync(fd: 15)                         = 0");

  @Test
  @DisplayName("overlapping flushes merge into one stall; a split call's duration and other calls are ignored")
  void parsed() {
    List<FlushStalls.Flush> f = FlushStalls.parse(TRACE, 10_000);
    assertEquals(5, f.size());
    assertEquals(11_000, f.get(0).startMs(), 1e-9);
    assertEquals("unnamed", f.get(2).process());
    assertEquals("postgres", f.get(3).process());
  }

  @Test
  @DisplayName("requests due in each stall's first (length - target) ms inside the window are held late")
  void bound() {
    // window 10,500 .. 12,500 wall ms (mono 500 .. 2,500), 4,000 requests due: 2 a ms
    List<FlushStalls.Flush> f = FlushStalls.parse(TRACE, 10_000);
    FlushStalls.Bound b = FlushStalls.bound(f, 10_500, 12_500, 4_000, 30);
    // merged 1,000..1,080 (80 ms): due 1,000..1,050 held late = 100; 2,000..2,025 is under the target; 3,000 and
    // 9,000 are after the window
    assertEquals(1, b.stalls());
    assertEquals(80, b.longestMs(), 1e-9);
    assertEquals(0, b.over100());
    assertEquals(100, b.heldLate());
    assertEquals(40, b.allowed());
  }

  @Test
  @DisplayName("a stall is counted only inside the window")
  void clippedAtTheWindow() {
    FlushStalls.Bound b = FlushStalls.bound(FlushStalls.parse(TRACE, 10_000), 12_990, 13_090, 100, 30);
    // the 130 ms stall at 13,000..13,130 would hold 100 ms of arrivals; the window ends at 13,090: 90 ms, 1 a ms
    assertEquals(1, b.stalls());
    assertEquals(1, b.over100());
    assertEquals(90, b.heldLate());
    // begun before the window (13,050): from there to 13,100
    assertEquals(50, FlushStalls.bound(FlushStalls.parse(TRACE, 10_000), 13_050, 13_250, 200, 30).heldLate());
  }
}
