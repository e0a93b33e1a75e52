package io.tinko.loadtests.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The disk's flush latency with nothing of Tinko running: writes a block into a 16 MB file and forces it to the
 * device ({@link FileChannel#force}{@code (false)}, an fdatasync on Linux), paced, as a committing Postgres does
 * with its WAL. Prints every flush over 20 ms as it happens and the distribution at the end.
 *
 * <pre>java -cp load-tests/target/test-classes io.tinko.loadtests.bench.FlushProbe
 *     [--dir load-tests/target] [--block 65536] [--rate 750] [--seconds 120] [--load-rate 0] [--target-ms 100]</pre>
 *
 * A rate of 0 flushes flat out. The file is removed at the end. With {@code --load-rate R}, the verdict for a
 * latency target on this disk as it is now: how many requests, arriving at R a second over the probe's span, the
 * flushes slower than {@code --target-ms} would have held over the target by themselves (a committing Postgres can
 * complete no commit while its WAL flush stalls; {@link FlushStalls#bound}), against the 1 % a p99 target allows.
 */
public final class FlushProbe {
  private static final int FILE_BYTES = 16 << 20;

  private FlushProbe() {}

  /**
   * The requests a load of {@code loadRate} a second, due evenly from {@code startNanos} to {@code endNanos}
   * ({@link System#nanoTime}), would have had held over {@code targetMs} by the {@code slow} flushes alone.
   */
  static FlushStalls.Bound floor(List<FlushStalls.Flush> slow, long startNanos, long endNanos, int loadRate,
                                 double targetMs) {
    long due = Math.round(loadRate * (endNanos - startNanos) / 1e9);
    return FlushStalls.bound(slow, Math.round(startNanos / 1e6), Math.round(endNanos / 1e6), due, targetMs);
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> a = Args.parse(args);
    Path dir = Path.of(a.getOrDefault("dir", "load-tests/target"));
    int block = Integer.parseInt(a.getOrDefault("block", "65536"));
    int rate = Integer.parseInt(a.getOrDefault("rate", "750"));
    double seconds = Double.parseDouble(a.getOrDefault("seconds", "120"));
    int loadRate = Integer.parseInt(a.getOrDefault("load-rate", "0"));
    double target = Double.parseDouble(a.getOrDefault("target-ms", "100"));
    if (block <= 0 || block > FILE_BYTES || rate < 0 || seconds <= 0 || loadRate < 0 || target <= 0) {
      throw new IllegalArgumentException("--block 1.." + FILE_BYTES + ", --rate >= 0, --seconds > 0, --load-rate >= 0,"
          + " --target-ms > 0");
    }
    Files.createDirectories(dir);
    Path file = Files.createTempFile(dir, "flush-probe", ".dat");
    DateTimeFormatter hms = DateTimeFormatter.ofPattern("HH:mm:ss");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
      for (int off = 0; off < FILE_BYTES; off += zeros.capacity()) {
        ch.write(zeros.clear(), off);
      }
      ch.force(true);
      ByteBuffer buf = ByteBuffer.allocateDirect(block);
      while (buf.hasRemaining()) {
        buf.put((byte) 'x');
      }
      double[] lat = new double[(int) Math.min(50_000_000, Math.max(1, (rate == 0 ? 20_000 : rate) * seconds * 2))];
      int n = 0;
      int over20 = 0;
      int over100 = 0;
      List<FlushStalls.Flush> slow = new ArrayList<>();
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long next = start;
      long off = 0;
      while (System.nanoTime() < end && n < lat.length) {
        if (rate > 0) {
          long wait = next - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
          next += 1_000_000_000L / rate;
        }
        long t0 = System.nanoTime();
        ch.write(buf.clear(), off);
        ch.force(false);
        double ms = (System.nanoTime() - t0) / 1e6;
        lat[n++] = ms;
        if (ms > target) {
          slow.add(new FlushStalls.Flush(t0 / 1e6, t0 / 1e6 + ms, "probe"));
        }
        off = (off + block) % (FILE_BYTES - block + 1);
        if (ms > 20) {
          over20++;
          over100 += ms > 100 ? 1 : 0;
          System.out.printf("  %s  %.1f ms%n", LocalTime.now(ZoneOffset.UTC).format(hms), ms);
        }
      }
      long stop = System.nanoTime();
      double took = (stop - start) / 1e9;
      double[] s = Arrays.copyOf(lat, n);
      Arrays.sort(s);
      System.out.printf("flush probe: %,d flushes of %d bytes in %.0f s (%.0f/s): p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms,"
              + " max %.1f ms; over 20 ms %d, over 100 ms %d%n", n, block, took, n / took, s[n / 2],
          s[(int) (n * 0.99)], s[(int) (n * 0.999)], s[n - 1], over20, over100);
      if (loadRate > 0) {
        FlushStalls.Bound b = floor(slow, start, stop, loadRate, target);
        System.out.printf("flush probe: at %,d requests a second these stalls alone would have held %,d of the %,d"
                + " due in these %.0f s over %.0f ms (flushes over %.0f ms: %d, the longest %.1f ms); p99 under %.0f ms"
                + " allows %,d%n", loadRate, b.heldLate(), Math.round(loadRate * took), took, target, target,
            b.stalls(), b.longestMs(), target, b.allowed());
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
