package io.tinko.analytics;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A run on several connections at once, each for its own share of the tenants: an incremental run patched
 * ({@link #patch}), or a full run's new tables filled ({@link FullBuild#inShares}, which commits nothing visible until
 * its last transaction swaps them in; what follows is about the incremental run). A tenant's
 * transactions, facts and rollup rows all carry its id, so no two shares write the same row and none waits for
 * another. Every share imports the run's snapshot ({@code pg_export_snapshot()} of the job's transaction), so they
 * read exactly what a single connection would. Each share commits on its own: a share's facts and rollups stay
 * consistent with each other whatever happens to the others, and the job's transaction, which moves the watermark,
 * commits only after every share has. Should a share fail, the shares already committed stay and the next run,
 * reading from the old watermark, skips their transactions (their facts are the versions counted) and patches the
 * rest.
 */
final class Shares {
  /** The first statement of every share's transaction: the job's snapshot. */
  private static final String IMPORT = "SET TRANSACTION SNAPSHOT '%s'";

  /** A run in shares in which some shares committed and at least one did not. */
  static final class PartlyDone extends RuntimeException {
    PartlyDone(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Opens a share's connection, with the job's session settings. */
  @FunctionalInterface
  interface Opener {
    Connection open() throws SQLException;
  }

  private Shares() {}

  /** The tenants in up to {@code n} shares, dealt round-robin in id order; no empty share. */
  static List<UUID[]> split(Connection c, int n) throws SQLException {
    List<List<UUID>> lists = new ArrayList<>();
    try (var ps = c.prepareStatement("SELECT id FROM organizations ORDER BY id"); var rs = ps.executeQuery()) {
      int i = 0;
      while (rs.next()) {
        if (lists.size() < n) {
          lists.add(new ArrayList<>());
        }
        lists.get(i++ % n).add(rs.getObject(1, UUID.class));
      }
    }
    return lists.stream().map(l -> l.toArray(UUID[]::new)).toList();
  }

  /** One share's work, on its own connection, inside its transaction on the job's snapshot. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c, UUID[] tenants, String label) throws SQLException;
  }

  /**
   * Runs {@code work} in every share at once, each share committing when its work returns; their results in share
   * order. Throws {@link PartlyDone} when some shares committed and another failed, the failure itself when none
   * committed.
   */
  static <T> List<T> run(Opener opener, String snapshot, List<UUID[]> shares, Work<T> work) throws SQLException {
    ExecutorService pool = Executors.newFixedThreadPool(shares.size(), r -> {
      Thread t = new Thread(r, "analytics-share");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<T>> running = new ArrayList<>();
      for (int i = 0; i < shares.size(); i++) {
        UUID[] tenants = shares.get(i);
        String label = "[" + (i + 1) + "/" + shares.size() + "] ";
        running.add(pool.submit(() -> share(opener, snapshot, tenants, label, work)));
      }
      List<T> results = new ArrayList<>();
      Throwable failed = null;
      for (Future<T> f : running) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          failed = failed == null ? e.getCause() : failed;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failed = failed == null ? e : failed;
        }
      }
      if (failed != null) {
        if (results.isEmpty()) {
          throw failed instanceof SQLException s ? s : new SQLException(failed.getMessage(), failed);
        }
        throw new PartlyDone(results.size() + " of " + shares.size() + " shares of the tenants committed (their "
            + "rollups are up to date), another failed: " + firstLine(failed) + "; the watermark did not move, the "
            + "next run patches the rest", failed);
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** An incremental run patched in every share at once: their counts added up. */
  static Rebuild.Counts patch(Opener opener, String snapshot, List<UUID[]> shares, Mode mode, PrintStream out,
                              String fullWorkMem) throws SQLException {
    Rebuild.Counts total = null;
    Set<LocalDate> dates = new TreeSet<>();
    for (Done d : run(opener, snapshot, shares, (c, tenants, label) -> {
      Rebuild r = new Rebuild(c, out, fullWorkMem, tenants, label);
      return new Done(r.run(mode), r.dates());
    })) {
      total = total == null ? d.counts() : total.plus(d.counts());
      dates.addAll(d.dates());
    }
    // a date two shares patched counts once
    return total.withDates(dates.size());
  }

  /** What one share counted, and the dates it patched. */
  private record Done(Rebuild.Counts counts, Set<LocalDate> dates) {}

  private static <T> T share(Opener opener, String snapshot, UUID[] tenants, String label, Work<T> work)
      throws SQLException {
    try (Connection c = opener.open()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        Jdbc.update(c, IMPORT.formatted(snapshot.replace("'", "")));
        T result = work.run(c, tenants, label);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
