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
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The disk's flush latency with nothing of Tinko running: writes a block into a 16 MB file and forces it to the
 * device ({@link FileChannel#force}{@code (false)}, an fdatasync on Linux), paced, as a committing Postgres does
 * with its WAL. Prints every flush over 20 ms as it happens and the distribution at the end.
 *
 * <pre>java -cp load-tests/target/test-classes io.tinko.loadtests.bench.FlushProbe
 *     [--dir load-tests/target] [--block 65536] [--rate 750] [--seconds 120]</pre>
 *
 * A rate of 0 flushes flat out. The file is removed at the end.
 */
public final class FlushProbe {
  private static final int FILE_BYTES = 16 << 20;

  private FlushProbe() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> a = Args.parse(args);
    Path dir = Path.of(a.getOrDefault("dir", "load-tests/target"));
    int block = Integer.parseInt(a.getOrDefault("block", "65536"));
    int rate = Integer.parseInt(a.getOrDefault("rate", "750"));
    double seconds = Double.parseDouble(a.getOrDefault("seconds", "120"));
    if (block <= 0 || block > FILE_BYTES || rate < 0 || seconds <= 0) {
      throw new IllegalArgumentException("--block 1.." + FILE_BYTES + ", --rate >= 0, --seconds > 0");
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
        off = (off + block) % (FILE_BYTES - block + 1);
        if (ms > 20) {
          over20++;
          over100 += ms > 100 ? 1 : 0;
          System.out.printf("  %s  %.1f ms%n", LocalTime.now(ZoneOffset.UTC).format(hms), ms);
        }
      }
      double took = (System.nanoTime() - start) / 1e9;
      double[] s = Arrays.copyOf(lat, n);
      Arrays.sort(s);
      System.out.printf("flush probe: %,d flushes of %d bytes in %.0f s (%.0f/s): p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms,"
              + " max %.1f ms; over 20 ms %d, over 100 ms %d%n", n, block, took, n / took, s[n / 2],
          s[(int) (n * 0.99)], s[(int) (n * 0.999)], s[n - 1], over20, over100);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
