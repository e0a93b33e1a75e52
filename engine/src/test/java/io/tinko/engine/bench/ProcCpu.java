package io.tinko.engine.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time from Linux's {@code /proc}: this JVM's, and a process tree's (a postmaster with its backends, and through
 * the postmaster's {@code cutime/cstime} the children that exited). Benchmarks only.
 */
final class ProcCpu {
  /** USER_HZ is 100 on Linux. */
  static final double MICROS_PER_TICK = 10_000;

  private ProcCpu() {}

  /** Wall clock, this JVM's CPU, its threads' ticks, and the ticks of a postmaster's tree, at one moment. */
  record Snapshot(long nanos, long jvmNanos, java.util.Map<String, Long> threads, long pgTicks, long machineBusy) {}

  static Snapshot snapshot(long postmaster) {
    return new Snapshot(System.nanoTime(), jvmNanos(), threadTicks(), treeTicks(postmaster), machineBusyTicks());
  }

  /** Busy ticks of every CPU (all but idle and iowait), from the first line of /proc/stat. */
  static long machineBusyTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        busy += i == 4 || i == 5 ? 0 : Long.parseLong(f[i]);
      }
      return busy;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Events/s, and CPU per event of the JVM (by thread) and of Postgres, between two snapshots. */
  static String report(String what, Snapshot from, Snapshot to, int events) {
    double secs = (to.nanos() - from.nanos()) / 1e9;
    double jvm = (to.jvmNanos() - from.jvmNanos()) / 1e3;
    double pg = (to.pgTicks() - from.pgTicks()) * MICROS_PER_TICK;
    double machine = (to.machineBusy() - from.machineBusy()) * MICROS_PER_TICK;
    return String.format("%s: %.2f s = %.0f events/s; CPU per event: JVM %.0f us, Postgres %.0f us; "
        + "cores busy: this JVM %.2f, Postgres %.2f, other processes %.2f; JVM by thread:%n%s",
        what, secs, events / secs, jvm / events, pg / events, jvm / 1e6 / secs, pg / 1e6 / secs,
        Math.max(0, machine - jvm - pg) / 1e6 / secs, threadSplit(from.threads(), to.threads(), events));
  }

  static long jvmNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Fields after the command's closing parenthesis: state is [0], ppid [1], utime [11], stime [12], cutime [13]. */
  private static String[] stat(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return s.substring(s.lastIndexOf(')') + 2).split(" ");
    } catch (IOException e) {
      return null;
    }
  }

  /** Ticks per thread of this JVM, by thread name (Linux truncates names to 15 characters). */
  static java.util.Map<String, Long> threadTicks() {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      tasks.forEach(t -> {
        try {
          String s = Files.readString(t.resolve("stat"));
          String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
          String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
          out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended
        }
      });
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** The threads' CPU between two {@link #threadTicks()}, largest first, in microseconds per {@code per}. */
  static String threadSplit(java.util.Map<String, Long> before, java.util.Map<String, Long> after, int per) {
    StringBuilder b = new StringBuilder();
    after.entrySet().stream()
        .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> b.append(String.format("  %-16s %6.0f us%n", e.getKey(), e.getValue() * MICROS_PER_TICK / per)));
    return b.toString();
  }

  static long parentOf(long pid) {
    String[] f = stat(pid);
    return f == null ? -1 : Long.parseLong(f[1]);
  }

  static List<Long> children(long parent) {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
          .map(Long::parseLong).forEach(pid -> {
            String[] f = stat(pid);
            if (f != null && Long.parseLong(f[1]) == parent) {
              out.add(pid);
            }
          });
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** Ticks of the process, its reaped children, and its live children. */
  static long treeTicks(long root) {
    String[] f = stat(root);
    if (f == null) {
      return 0;
    }
    long t = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    for (long c : children(root)) {
      String[] cf = stat(c);
      if (cf != null) {
        t += Long.parseLong(cf[11]) + Long.parseLong(cf[12]);
      }
    }
    return t;
  }
}
