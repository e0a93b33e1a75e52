package io.tinko.loadtests.support;

import io.tinko.loadtests.config.Event;
import io.tinko.loadtests.config.Params;
import io.tinko.loadtests.config.WebhookFeeder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes what this run was answered, once the last answer is in (the simulations' after() hook):
 * <ul>
 *   <li>{@code <runId>-answers.tsv}: one line per distinct event sent, warm-up included
 *       ({@code endpoint, eventId, kind, sent, accepted, duplicate}) — the audit's input;</li>
 *   <li>{@code <runId>-accepted.txt}: the event ids answered "accepted";</li>
 *   <li>{@code <runId>-run.json}: the measured window (first measured request to the end of the run) and the
 *       measured populations' counts, from which bench computes accepted/s.</li>
 * </ul>
 * In baseline mode (tinko bare) only the run file is written.
 */
public final class AnswerLog {
  private AnswerLog() {}

  public static void write(String simulation, List<WebhookFeeder> measured, WebhookFeeder warmUp) {
    long end = System.currentTimeMillis();
    Path dir = Params.OUT_DIR;
    String prefix = Params.RUN_ID + (Params.BARE ? "-bare" : "");
    long start = measured.stream().mapToLong(WebhookFeeder::firstFeedMillis).filter(t -> t > 0).min().orElse(end);
    long sent = measured.stream().mapToLong(WebhookFeeder::fed).sum();
    long acceptedAnswers = 0;
    long duplicateAnswers = 0;
    long distinct = 0;
    long acceptedIds = 0;
    List<WebhookFeeder> all = new ArrayList<>(measured);
    if (warmUp != null) {
      all.add(warmUp);
    }
    try {
      Files.createDirectories(dir);
      for (WebhookFeeder f : all) {
        f.close();
      }
      for (WebhookFeeder f : measured) {
        for (Event e : f.handedOut()) {
          acceptedAnswers += e.accepted();
          duplicateAnswers += e.duplicates();
        }
      }
      if (!Params.BARE) {
        try (BufferedWriter a = Files.newBufferedWriter(dir.resolve(prefix + "-answers.tsv"));
             BufferedWriter ok = Files.newBufferedWriter(dir.resolve(prefix + "-accepted.txt"))) {
          a.write("endpoint\teventId\tkind\tsent\taccepted\tduplicate\n");
          for (WebhookFeeder f : all) {
            for (Event e : f.handedOut()) {
              distinct++;
              a.write(e.endpointId + "\t" + e.eventId + "\t" + e.kind + "\t" + e.sent() + "\t" + e.accepted() + "\t"
                  + e.duplicates() + "\n");
              if (e.accepted() > 0) {
                acceptedIds++;
                ok.write(e.endpointId + "\t" + e.eventId + "\n");
              }
            }
          }
        }
      }
      writeRunFile(simulation, start, end, sent, ",\"measuredAcceptedAnswers\":" + acceptedAnswers
          + ",\"measuredDuplicateAnswers\":" + duplicateAnswers);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the answer ledger to " + dir, e);
    }
    System.out.printf("tinko-lt: measured %d requests in %.1f s, %d answered accepted; %d distinct events in the "
        + "ledger (%d accepted) in %s%n", sent, (end - start) / 1000.0, acceptedAnswers, distinct, acceptedIds,
        dir.toAbsolutePath());
  }

  /**
   * Only the run file, for simulations without webhooks (the merchant API): the measured window from
   * {@code measuredStartMs} (0 = nothing measured) to now and the requests sent in it; {@code acceptedAnswers} null
   * when "accepted" means nothing there (bench then reports requests answered as expected per second).
   */
  public static void writeRun(String simulation, long measuredStartMs, long sent, Long acceptedAnswers) {
    long end = System.currentTimeMillis();
    long start = measuredStartMs > 0 ? measuredStartMs : end;
    try {
      Files.createDirectories(Params.OUT_DIR);
      writeRunFile(simulation, start, end, sent,
          acceptedAnswers == null ? "" : ",\"measuredAcceptedAnswers\":" + acceptedAnswers);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run file to " + Params.OUT_DIR, e);
    }
    System.out.printf("tinko-lt: measured %d requests in %.1f s%n", sent, (end - start) / 1000.0);
  }

  private static void writeRunFile(String simulation, long start, long end, long sent, String extra)
      throws IOException {
    String prefix = Params.RUN_ID + (Params.BARE ? "-bare" : "");
    Files.writeString(Params.OUT_DIR.resolve(prefix + "-run.json"), "{\"simulation\":\"" + simulation
        + "\",\"runId\":\"" + Params.RUN_ID + "\",\"url\":\"" + Params.BASE_URL + "\",\"bare\":" + Params.BARE
        + ",\"measuredStartMs\":" + start + ",\"endMs\":" + end + ",\"measuredSent\":" + sent + extra + "}\n");
  }

  public static void write(String simulation, List<WebhookFeeder> measured) {
    write(simulation, measured.stream().filter(Objects::nonNull).toList(), null);
  }
}
