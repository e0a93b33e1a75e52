package io.tinko.loadtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the disk's flushes alone cost a latency target ({@code bench --trace-flushes}).
 *
 * <p>Reads {@code perf trace -a -T --duration D -e fdatasync} output: every fdatasync slower than D ms, its start on
 * CLOCK_MONOTONIC (as {@link System#nanoTime}) and its duration. During the run only Postgres calls fdatasync: on the
 * WAL, under its WALWriteLock. While one such flush is stalled no commit whose WAL came later can complete, so a
 * webhook that arrives during the stall cannot be answered before the stall ends. Overlapping flushes are merged;
 * the requests due in the first (length - target) ms of each merged stall inside the measured window are therefore
 * answered later than the target however fast the gateway's own work is. Their count, at the run's offered rate,
 * is a lower bound on the answers over the target: the backlog each stall leaves is not counted.
 *
 * <pre>FlushStalls --trace T --run RUN_JSON [--target-ms 30]</pre>
 */
public final class FlushStalls {
  // "33134139.309 (45.965 ms): postgres/25604 fdatasync(fd: 15) = 0"; a call perf split in two ("... [continued]")
  // carries a meaningless duration and is skipped
  private static final Pattern LINE =
      Pattern.compile("^\\s*([\\d.]+) \\(\\s*([\\d.]+) ms\\): (\\S+?)/\\d+\\s+fdatasync\\(");
  private FlushStalls() {}

  /** One fdatasync, in wall-clock ms. */
  record Flush(double startMs, double endMs, String process) {}

  /** The result: stalls over the target in the window, the longest, those over 100 ms, answers they hold late. */
  record Bound(int stalls, double longestMs, int over100, long heldLate, long allowed) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Args.parse(args);
    double target = Double.parseDouble(a.getOrDefault("target-ms", "30"));
    // the generator's run file, as Summary reads it
    JsonNode run = new ObjectMapper().readTree(Path.of(a.get("run")).toFile());
    long start = run.get("measuredStartMs").asLong();
    long end = run.get("endMs").asLong();
    long sent = run.get("measuredSent").asLong();
    // CLOCK_MONOTONIC to wall clock, now: both clocks advance together over a run
    double offset = System.currentTimeMillis() - System.nanoTime() / 1e6;
    List<Flush> flushes = parse(Files.readAllLines(Path.of(a.get("trace"))), offset);
    Map<String, Integer> byProcess = new TreeMap<>();
    for (Flush f : flushes) {
      if (f.endMs() >= start && f.startMs() <= end) {
        byProcess.merge(f.process(), 1, Integer::sum);
      }
    }
    Bound b = bound(flushes, start, end, sent, target);
    System.out.printf("flush stalls (perf trace of fdatasync): %d over %.0f ms in the measured window (longest %.0f ms,"
            + " %d over 100 ms; callers %s); no commit could complete while one lasted, so at least %,d of the window's"
            + " %,d answers took over %.0f ms from the stalls alone (p99 under %.0f ms allows %,d)%n",
        b.stalls(), target, b.longestMs(), b.over100(), byProcess.isEmpty() ? "-" : byProcess, b.heldLate(), sent,
        target, target, b.allowed());
  }

  static List<Flush> parse(List<String> lines, double monotonicToWallMs) {
    List<Flush> out = new ArrayList<>();
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      if (!m.find()) {
        continue;
      }
      double duration = Double.parseDouble(m.group(2));
      if (duration > 3_600_000) {
        continue;   // perf's "[continued]" half of a split call
      }
      double s = Double.parseDouble(m.group(1)) + monotonicToWallMs;
      // a thread perf saw start before its name: ":25863/25863"
      out.add(new Flush(s, s + duration, m.group(3).startsWith(":") ? "unnamed" : m.group(3)));
    }
    return out;
  }

  /**
   * @param start first request's due time (ms), {@code end} the last's; {@code sent} requests were due in between
   */
  static Bound bound(List<Flush> flushes, long start, long end, long sent, double targetMs) {
    List<double[]> merged = new ArrayList<>();
    flushes.stream().sorted((x, y) -> Double.compare(x.startMs(), y.startMs())).forEach(f -> {
      double[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && f.startMs() <= last[1]) {
        last[1] = Math.max(last[1], f.endMs());
      } else {
        merged.add(new double[] {f.startMs(), f.endMs()});
      }
    });
    double perMs = end > start ? (double) sent / (end - start) : 0;
    int stalls = 0;
    int over100 = 0;
    double longest = 0;
    double late = 0;
    for (double[] m : merged) {
      double length = m[1] - m[0];
      if (length <= targetMs || m[1] < start || m[0] > end) {
        continue;
      }
      stalls++;
      over100 += length > 100 ? 1 : 0;
      longest = Math.max(longest, length);
      double from = Math.max(m[0], start);
      double to = Math.min(m[1] - targetMs, end);
      late += Math.max(0, to - from) * perMs;
    }
    return new Bound(stalls, longest, over100, Math.round(late), sent / 100);
  }
}
