package io.tinko.loadtests.blast;

import io.tinko.loadtests.config.Event;
import io.tinko.loadtests.config.Mix;
import io.tinko.loadtests.config.Params;
import io.tinko.loadtests.config.PaypalKey;
import io.tinko.loadtests.config.WebhookFeeder;
import io.tinko.loadtests.support.AnswerLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cheap open-model HTTP/1.1 load generator for the webhook path: one thread, one selector, keep-alive
 * connections, the same pre-signed events and answer ledger as {@code WebhookIngestSimulation}.
 *
 * <p>Why it exists: on this 2-core machine Gatling spends ~200 µs of CPU per request — as much as the gateway and
 * Postgres together — so a Gatling run measures the generator. This one writes pre-rendered requests and reads
 * status, Content-Length and body, nothing else (a few µs per request), which leaves the cores to what is measured.
 *
 * <p>Open model, like PSP traffic and like wrk2: request k is due at {@code start + k / rate}. When every
 * connection is busy the due requests wait in a backlog, and their latency is counted from the time they were due,
 * not from when a connection freed up (no coordinated omission). Warm-up ramps linearly to the rate over
 * {@code tinko.lt.warmup} seconds, then {@code tinko.lt.duration} seconds are measured.
 *
 * <p>Writes the usual {@code <runId>-answers.tsv}/{@code -run.json} (via {@link AnswerLog}) for the audit and
 * {@code <runId>[-bare]-blast.json} with the measured window's counts and latency percentiles.
 */
public final class Blast {
  private static final int CONNECTIONS = (int) Double.parseDouble(System.getProperty("tinko.lt.blast.connections",
      "256"));
  /**
   * Requests due within this many µs are waited for by polling the selector in a loop instead of a blocking select
   * (whose timeout has millisecond resolution). 0, the default: never poll. Polling sends each request within a few
   * µs of its due time but keeps this thread on a core the whole time it waits — at 12,000/s (one request due every
   * 83 µs) with a 200 µs threshold it spun ~40 % of a core, a share of the two cores the measured target then did
   * not get. Blocking instead sends a request at most ~1 ms late (usually less: every answer wakes the selector),
   * and that lateness is part of the latency reported, which is counted from the due time either way.
   */
  private static final long SPIN_NANOS = Long.getLong("tinko.lt.blast.spinMicros", 0) * 1000;
  private static final long DRAIN_NANOS = 15_000_000_000L;
  /** A request due this long ago and still not sent means the target cannot keep up: the run stops there. */
  private static final long MAX_BACKLOG_NANOS = 20_000_000_000L;
  private static final byte[] CRLF2 = {'\r', '\n', '\r', '\n'};

  private final InetSocketAddress address;
  private final String hostHeader;
  private final Selector selector;
  private final ArrayDeque<Conn> idle = new ArrayDeque<>();
  private int open;

  // measured window statistics
  private long[] latenciesMicros = new long[1 << 16];
  private int latencyCount;
  /** How late each measured request was written after its due time (a backlog's wait included). */
  private long[] sendLateMicros = new long[1 << 16];
  private int sendLateCount;
  /** The measured window in 100 ms slices by due time: answers, the slowest, and those over 30 ms. */
  private long measuredStartNanos;
  private long measuredStartEpochMillis;
  private int[] sliceCount = new int[0];
  private long[] sliceMaxMicros = new long[0];
  private int[] sliceOver30 = new int[0];
  private long measuredOk;
  private long measuredFailed;
  private final Map<Integer, Long> statuses = new TreeMap<>();
  private long connectionErrors;
  private int maxBacklog;
  private long unsentMeasured;

  private Blast(URI base) throws IOException {
    this.address = new InetSocketAddress(base.getHost(), base.getPort() > 0 ? base.getPort() : 80);
    this.hostHeader = base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "");
    this.selector = Selector.open();
  }

  /** One keep-alive connection with at most one request in flight. */
  private final class Conn {
    final SocketChannel channel;
    final SelectionKey key;
    ByteBuffer out;
    ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    Event event;
    long dueNanos;
    boolean measured;

    Conn() throws IOException {
      channel = SocketChannel.open();
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.connect(address);
      channel.configureBlocking(false);
      key = channel.register(selector, SelectionKey.OP_READ, this);
      open++;
    }
  }

  public static void main(String[] args) throws Exception {
    String sim = System.getProperty("tinko.lt.simulation", "WebhookIngestSimulation");
    double rate = Params.RATE;
    int warmup = Math.max(0, Params.WARMUP);
    int duration = Params.DURATION;
    Mix mix = Mix.parse(Params.MIX);
    long warmCount = (long) (rate * warmup / 2);
    long measuredCount = (long) (rate * duration);
    WebhookFeeder warm = warmCount > 0 ? new WebhookFeeder("w", warmCount + 100, rate, mix, Params.DUPLICATE_SHARE,
        Params.BAD_SIGNATURE_SHARE, Params.OVERSIZED_SHARE, 1) : null;
    WebhookFeeder feeder = new WebhookFeeder("", measuredCount + 100, rate, mix, Params.DUPLICATE_SHARE,
        Params.BAD_SIGNATURE_SHARE, Params.OVERSIZED_SHARE, 1);
    Blast blast = new Blast(URI.create(Params.BASE_URL));
    System.out.printf("tinko-lt: blast %s%s: %.0f/s for %d s after a %d s ramp, %d connections, target %s%n", sim,
        Params.BARE ? " (bare)" : "", rate, duration, warmup, CONNECTIONS, Params.BASE_URL);
    System.out.println("Simulation started...");   // the bench script starts sampling CPU after the warm-up from here
    blast.run(rate, warmup, duration, warm, feeder, warmCount, measuredCount);
    AnswerLog.write(sim, List.of(feeder), warm);
    blast.writeStats(sim, rate, duration);
  }

  private void run(double rate, int warmup, int duration, WebhookFeeder warm, WebhookFeeder feeder, long warmCount,
                   long measuredCount) throws IOException {
    for (int i = 0; i < CONNECTIONS; i++) {
      idle.add(new Conn());
    }
    long start = System.nanoTime();
    long warmNanos = warmup * 1_000_000_000L;
    measuredStartNanos = start + warmNanos;
    measuredStartEpochMillis = System.currentTimeMillis() + warmNanos / 1_000_000;
    int slices = duration * 10 + 1;
    sliceCount = new int[slices];
    sliceMaxMicros = new long[slices];
    sliceOver30 = new int[slices];
    long total = warmCount + measuredCount;
    long interval = (long) (1e9 / rate);
    long next = 0;   // index of the next request to become due
    long sent = 0;   // requests handed to a connection; sent <= next: the difference is the backlog
    while (true) {
      long now = System.nanoTime();
      // which requests are due by now
      while (next < total && dueTime(next, start, warmNanos, warmCount, interval) <= now) {
        next++;
      }
      maxBacklog = (int) Math.max(maxBacklog, next - sent);
      if (sent < next && now - dueTime(sent, start, warmNanos, warmCount, interval) > MAX_BACKLOG_NANOS) {
        System.out.printf("tinko-lt: the target fell %d s behind the asked rate (%d requests due and not sent);"
            + " stopping the load here — the run did not hold %.0f/s%n", MAX_BACKLOG_NANOS / 1_000_000_000L,
            next - sent, rate);
        unsentMeasured = Math.max(0, next - Math.max(sent, warmCount)) + (total - next);
        total = sent;
        next = sent;
      }
      while (sent < next && !idle.isEmpty()) {
        boolean measured = sent >= warmCount;
        Event e = (Event) (measured ? feeder : warm).next().get("e");
        send(idle.poll(), e, dueTime(sent, start, warmNanos, warmCount, interval), measured);
        sent++;
      }
      if (sent == total && idle.size() == open) {
        break;
      }
      long waitNanos = next < total ? dueTime(next, start, warmNanos, warmCount, interval) - System.nanoTime() : 0;
      if (sent == total && System.nanoTime() - dueTime(total - 1, start, warmNanos, warmCount, interval)
          > DRAIN_NANOS) {
        System.out.printf("tinko-lt: %d requests still unanswered %d s after the last was due; giving up on them%n",
            open - idle.size(), DRAIN_NANOS / 1_000_000_000L);
        for (SelectionKey k : selector.keys()) {
          Conn c = (Conn) k.attachment();
          if (c.event != null) {
            record(c, 0);
          }
        }
        break;
      }
      if (waitNanos > SPIN_NANOS || (sent < next && idle.isEmpty()) || next >= total) {
        selector.select(Math.max(1, Math.min(waitNanos > 0 ? waitNanos / 1_000_000 : 1, 10)));
      } else {
        selector.selectNow();
      }
      Iterator<SelectionKey> it = selector.selectedKeys().iterator();
      while (it.hasNext()) {
        SelectionKey k = it.next();
        it.remove();
        Conn c = (Conn) k.attachment();
        if (!k.isValid()) {
          continue;
        }
        if (k.isWritable()) {
          flush(c);
        }
        if (k.isValid() && k.isReadable()) {
          read(c);
        }
      }
    }
    for (SelectionKey k : selector.keys()) {
      k.channel().close();
    }
    selector.close();
  }

  /** Requests of the warm-up ramp linearly from 0 to the rate: request k is due at sqrt(2 k T / r). */
  private static long dueTime(long k, long start, long warmNanos, long warmCount, long interval) {
    if (k < warmCount) {
      return start + (long) (Math.sqrt((double) k / warmCount) * warmNanos);
    }
    return start + warmNanos + (k - warmCount) * interval;
  }

  private void send(Conn c, Event e, long due, boolean measured) throws IOException {
    c.event = e;
    c.dueNanos = due;
    c.measured = measured;
    if (measured) {
      if (sendLateCount == sendLateMicros.length) {
        sendLateMicros = Arrays.copyOf(sendLateMicros, sendLateCount * 2);
      }
      sendLateMicros[sendLateCount++] = (System.nanoTime() - due) / 1000;
    }
    byte[] body = e.body();
    StringBuilder h = new StringBuilder(e.certUrl == null ? 256 : 768)   // PayPal's headers carry ~600 bytes
        .append("POST ").append(e.path).append(" HTTP/1.1\r\nHost: ")
        .append(hostHeader).append("\r\nContent-Type: application/json\r\nContent-Length: ").append(body.length)
        .append("\r\n");
    switch (e.psp) {
      case "stripe" -> h.append("Stripe-Signature: ").append(e.signature).append("\r\n");
      case "razorpay" -> h.append("X-Razorpay-Signature: ").append(e.signature).append("\r\nX-Razorpay-Event-Id: ")
          .append(e.eventId).append("\r\n");
      case "standard" -> h.append("webhook-id: ").append(e.eventId).append("\r\nwebhook-timestamp: ")
          .append(e.timestamp).append("\r\nwebhook-signature: ").append(e.signature).append("\r\n");
      case "paypal" -> h.append("PAYPAL-TRANSMISSION-ID: ").append(e.transmissionId)
          .append("\r\nPAYPAL-TRANSMISSION-TIME: ").append(e.timestamp)
          .append("\r\nPAYPAL-TRANSMISSION-SIG: ").append(e.signature)
          .append("\r\nPAYPAL-CERT-URL: ").append(e.certUrl)
          .append("\r\nPAYPAL-AUTH-ALGO: ").append(PaypalKey.ALGORITHM).append("\r\n");
      default -> throw new IllegalStateException("no headers for " + e.psp);
    }
    byte[] head = h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(head.length + body.length);
    out.put(head).put(body).flip();
    c.out = out;
    flush(c);
  }

  private void flush(Conn c) throws IOException {
    try {
      c.channel.write(c.out);
    } catch (IOException broken) {
      connectionLost(c);
      return;
    }
    c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
  }

  private void read(Conn c) throws IOException {
    int n;
    try {
      if (!c.in.hasRemaining()) {
        c.in = ByteBuffer.allocate(c.in.capacity() * 2).put(c.in.flip());
      }
      n = c.channel.read(c.in);
    } catch (IOException broken) {
      connectionLost(c);
      return;
    }
    if (n < 0) {
      connectionLost(c);
      return;
    }
    byte[] buf = c.in.array();
    int len = c.in.position();
    int headEnd = indexOf(buf, len, CRLF2);
    if (headEnd < 0) {
      return;
    }
    String head = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(head.substring(9, 12));
    int bodyLength = 0;
    boolean close = false;
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      if (name.equalsIgnoreCase("content-length")) {
        bodyLength = Integer.parseInt(line.substring(colon + 1).trim());
      } else if (name.equalsIgnoreCase("connection") && line.substring(colon + 1).trim().equalsIgnoreCase("close")) {
        close = true;
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        throw new IllegalStateException("chunked answers are not supported by this generator: " + head);
      }
    }
    int bodyStart = headEnd + 4;
    if (len < bodyStart + bodyLength) {
      return;
    }
    String body = new String(buf, bodyStart, bodyLength, StandardCharsets.UTF_8);
    boolean ok = status == c.event.expectedStatus() & c.event.observe(body);
    record(c, ok ? status : -status);
    int rest = len - bodyStart - bodyLength;
    if (rest > 0) {
      throw new IllegalStateException("an answer nobody asked for: " + rest + " extra bytes");
    }
    c.in.clear();
    if (close) {
      replace(c);
    } else {
      idle.add(c);
    }
  }

  /** status > 0: answered as the contract requires; < 0: answered otherwise; 0: no answer (connection lost). */
  private void record(Conn c, int status) {
    if (c.measured) {
      long micros = (System.nanoTime() - c.dueNanos) / 1000;
      if (latencyCount == latenciesMicros.length) {
        latenciesMicros = Arrays.copyOf(latenciesMicros, latencyCount * 2);
      }
      latenciesMicros[latencyCount++] = micros;
      int slice = (int) Math.min(sliceCount.length - 1, Math.max(0, (c.dueNanos - measuredStartNanos) / 100_000_000L));
      sliceCount[slice]++;
      sliceMaxMicros[slice] = Math.max(sliceMaxMicros[slice], micros);
      if (micros > 30_000) {
        sliceOver30[slice]++;
      }
      if (status > 0) {
        measuredOk++;
      } else {
        measuredFailed++;
      }
      statuses.merge(Math.abs(status), 1L, Long::sum);
    }
    c.event = null;
  }

  private void connectionLost(Conn c) throws IOException {
    connectionErrors++;
    if (c.event != null) {
      record(c, 0);
    }
    replace(c);
  }

  private void replace(Conn c) throws IOException {
    c.key.cancel();
    c.channel.close();
    open--;
    try {
      idle.add(new Conn());
    } catch (IOException e) {
      connectionErrors++;
    }
  }

  private static int indexOf(byte[] buf, int len, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= len; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (buf[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private void writeStats(String sim, double rate, int duration) throws IOException {
    long[] l = Arrays.copyOf(latenciesMicros, latencyCount);
    Arrays.sort(l);
    long[] late = Arrays.copyOf(sendLateMicros, sendLateCount);
    Arrays.sort(late);
    StringBuilder st = new StringBuilder("{");
    statuses.forEach((k, v) -> st.append(st.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
    st.append('}');
    // requests the run never sent because the target fell behind count as failed: the asked rate was not held
    measuredFailed += unsentMeasured;
    String json = String.format(java.util.Locale.ROOT,
        "{\"simulation\":\"%s\",\"generator\":\"blast\",\"bare\":%s,\"rateAsked\":%.0f,\"durationSeconds\":%d,"
            + "\"requests\":%d,\"ok\":%d,\"failed\":%d,\"statuses\":%s,\"connections\":%d,\"connectionErrors\":%d,"
            + "\"maxBacklog\":%d,\"unsent\":%d,\"p50Ms\":%.2f,\"p75Ms\":%.2f,\"p95Ms\":%.2f,\"p99Ms\":%.2f,\"p999Ms\":%.2f,"
            + "\"maxMs\":%.2f,\"sendLateP50Ms\":%.3f,\"sendLateP99Ms\":%.3f}%n",
        sim, Params.BARE, rate, duration, latencyCount, measuredOk, measuredFailed, st, CONNECTIONS,
        connectionErrors, maxBacklog, unsentMeasured, pct(l, 0.50), pct(l, 0.75), pct(l, 0.95), pct(l, 0.99), pct(l, 0.999),
        l.length == 0 ? 0 : l[l.length - 1] / 1000.0, pct(late, 0.50), pct(late, 0.99));
    Path out = Params.OUT_DIR.resolve(Params.RUN_ID + (Params.BARE ? "-bare" : "") + "-blast.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json);
    // when the slow answers were due: to line them up with GC logs, WAL segment times and the like
    StringBuilder timeline = new StringBuilder("due_epoch_ms\tanswers\tmax_ms\tover_30ms\n");
    for (int i = 0; i < sliceCount.length; i++) {
      timeline.append(measuredStartEpochMillis + i * 100L).append('\t').append(sliceCount[i]).append('\t')
          .append(sliceMaxMicros[i] / 1000).append('\t').append(sliceOver30[i]).append('\n');
    }
    Files.writeString(Params.OUT_DIR.resolve(Params.RUN_ID + (Params.BARE ? "-bare" : "") + "-blast-timeline.tsv"),
        timeline);
    System.out.printf("tinko-lt: blast measured %d requests: %d as required, %d not, statuses %s, p50 %.1f ms, "
            + "p99 %.1f ms, max backlog %d, sent late by p50 %.3f / p99 %.3f ms (stats %s)%n", latencyCount,
        measuredOk, measuredFailed, statuses, pct(l, 0.5), pct(l, 0.99), maxBacklog, pct(late, 0.5), pct(late, 0.99),
        out);
  }

  private static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1000.0;
  }
}
