package io.tinko.loadtests.config;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Signed webhooks for a whole run, built before the first request so the generator spends its CPU on sending.
 *
 * <p>Events come in chunks of about ten seconds of traffic. When the run is short (at most {@link #MAX_PRESIGN_SECONDS}
 * and {@link Params#PRESIGN_MAX} events) every chunk is signed up front, on all cores, with the timestamp of that
 * moment — Stripe, Standard Webhooks and PayPal tolerate 300 s, which is why longer runs are not pre-signed whole. Longer
 * runs (soak) sign in a background thread that keeps about a minute of traffic ready, each chunk stamped when it is
 * signed, so no timestamp is ever more than ~70 s old when it is sent.
 *
 * <p>PayPal deliveries are RSA-signed (about 1 ms of CPU each, a hundred times an HMAC): they are signed with the
 * others, in the same parallel chunks, so the hot path stays a body copy whatever the mix.
 *
 * <p>Each record is a map of three entries: {@code psp} (for the request switch), {@code name} (the request name
 * in the report) and {@code e}, the {@link Event}. Duplicates are the same Event fed again 0.5–3 s of traffic later
 * (a PSP retrying after a lost answer); with {@code copies > 1} every event is fed that many times back to back
 * (the duplicate storm).
 */
public final class WebhookFeeder implements Iterator<Map<String, Object>> {
  static final int MAX_PRESIGN_SECONDS = 200;
  private static final String[] STRIPE_DECLINES =
      {"insufficient_funds", "do_not_honor", "expired_card", "generic_decline", "incorrect_cvc", "lost_card"};
  private static final String[] RAZORPAY_DECLINES = {"insufficient_balance", "payment_declined", "card_expired"};
  /** PayPal processor response codes: insufficient funds, generic decline, do not honor, expired, lost/stolen, CVV. */
  private static final String[] PAYPAL_DECLINES = {"5120", "5100", "0500", "5400", "9520", "5110"};
  private static final int OVERSIZE_BYTES = 512 * 1024 + 4096;

  private final String tag;
  private final Mix mix;
  private final double duplicateShare;
  private final double badShare;
  private final double oversizedShare;
  private final int copies;
  private final int chunkSize;
  private final int minLag;
  private final int maxLag;
  /** Null when PayPal is not in the mix (then nothing about PayPal needs to be configured). */
  private final PaypalKey paypalKey;
  /** The same certificate URL and webhook id with a key nobody vouches for: forged PayPal deliveries. */
  private final PaypalKey paypalForger;
  private final long transmissionIdHigh;
  private final ThreadLocal<Signer> signers = ThreadLocal.withInitial(this::newSigner);
  private final ThreadLocal<Signer> wrongSigners = ThreadLocal.withInitial(this::newWrongSigner);
  private final Map<String, EventTemplate> templates = Map.of(
      "stripe", EventTemplate.resource("stripe-invoice.payment_failed.json"),
      "razorpay", EventTemplate.resource("razorpay-payment.failed.json"),
      "paypal", EventTemplate.resource("paypal-PAYMENT.SALE.DENIED.json"),
      "standard", EventTemplate.resource("standard-payment.failed.json"));
  private final Map<String, Event> oversized = new java.util.HashMap<>();

  private final List<Chunk> chunks = new ArrayList<>();   // every chunk handed out, for the answer ledger
  private final BlockingQueue<Chunk> ready;
  private final Thread background;
  private Chunk current = new Chunk(new Event[0]);
  private int pos;
  private int repeat;
  private long chunkIndex;
  private volatile boolean closed;
  private long firstFeedMillis;
  private long fed;

  /**
   * @param tag     distinguishes this feeder's event ids within the run ("" for ingest, "s" for the storm)
   * @param expected how many records the injection profile will take
   * @param rate    requests per second, to size chunks and duplicate lags
   */
  public WebhookFeeder(String tag, long expected, double rate, Mix mix, double duplicateShare, double badShare,
                       double oversizedShare, int copies) {
    this.tag = tag;
    this.mix = mix;
    this.duplicateShare = duplicateShare;
    this.badShare = badShare;
    this.oversizedShare = oversizedShare;
    this.copies = Math.max(1, copies);
    this.paypalKey = mix.psps().contains("paypal") ? PaypalKey.fromParams() : null;
    this.paypalForger = paypalKey == null ? null : paypalKey.forger();
    this.transmissionIdHigh = Params.RUN_ID.hashCode() * 31L + tag.hashCode();
    this.chunkSize = (int) Math.max(1000, Math.min(200_000, rate * 10 / this.copies));
    this.minLag = (int) Math.max(1, rate / 2);
    this.maxLag = (int) Math.max(2, Math.min(rate * 3, chunkSize - 1));
    long distinct = expected / this.copies + chunkSize;
    int chunkCount = (int) ((distinct + chunkSize - 1) / chunkSize);
    boolean presignAll = Params.DURATION <= MAX_PRESIGN_SECONDS && distinct <= Params.PRESIGN_MAX;
    long t0 = System.nanoTime();
    if (presignAll) {
      long ts = System.currentTimeMillis() / 1000;
      Chunk[] all = new Chunk[chunkCount];
      IntStream.range(0, chunkCount).parallel().forEach(i -> all[i] = sign(i, ts));
      for (int i = 0; i < chunkCount; i++) {
        resolveDuplicates(all[i], i == 0 ? null : all[i - 1]);
      }
      ready = new ArrayBlockingQueue<>(chunkCount);
      ready.addAll(Arrays.asList(all));
      chunkIndex = chunkCount;
      background = null;
    } else {
      ready = new ArrayBlockingQueue<>(6);
      background = new Thread(this::signAhead, "tinko-lt-signer-" + tag);
      background.setDaemon(true);
      background.start();
    }
    System.out.printf("tinko-lt: feeder%s %s: %d chunks of %d events %s in %d ms%n", tag.isEmpty() ? "" : " " + tag,
        presignAll ? "pre-signed" : "signing in the background", presignAll ? chunkCount : 6, chunkSize,
        presignAll ? "" : "(a minute ahead)", (System.nanoTime() - t0) / 1_000_000);
  }

  private void signAhead() {
    Chunk previous = null;
    try {
      while (!closed) {
        Chunk chunk = sign((int) chunkIndex++, System.currentTimeMillis() / 1000);
        resolveDuplicates(chunk, previous);
        previous = chunk;
        while (!closed && !ready.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
          // wait for the run to use up what is ready
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Signs one chunk; duplicate slots are left null and filled by {@link #resolveDuplicates}. */
  private Chunk sign(int index, long ts) {
    SplittableRandom rnd = new SplittableRandom(0x7ea5L * 31 + index);
    Signer signer = signers.get();
    Event[] out = new Event[chunkSize];
    for (int j = 0; j < chunkSize; j++) {
      long seq = (long) index * chunkSize + j;
      double r = rnd.nextDouble();
      String psp = mix.pick(rnd.nextDouble());
      if (r < duplicateShare) {
        continue;   // a duplicate: resolved against an earlier event
      }
      r -= duplicateShare;
      if (r < badShare) {
        out[j] = event(psp, tag + "b" + seq, seq, Event.Kind.BAD_SIGNATURE, wrongSigners.get(), ts);
      } else if (r - badShare < oversizedShare) {
        out[j] = oversized(psp, ts);
      } else {
        out[j] = event(psp, tag + seq, seq, Event.Kind.VALID, signer, ts);
      }
    }
    return new Chunk(out);
  }

  private Event event(String psp, String suffix, long seq, Event.Kind kind, Signer signer, long ts) {
    String eventId = switch (psp) {
      case "standard" -> "msg_";
      case "paypal" -> "WH-LT_";
      default -> "evt_";
    } + Params.RUN_ID + "_" + suffix;
    byte[] id = eventId.getBytes(StandardCharsets.US_ASCII);
    byte[] key = (Params.RUN_ID + "x" + suffix).getBytes(StandardCharsets.US_ASCII);
    String[] declines = switch (psp) {
      case "razorpay" -> RAZORPAY_DECLINES;
      case "paypal" -> PAYPAL_DECLINES;
      default -> STRIPE_DECLINES;
    };
    byte[] decline = declines[(int) (seq % declines.length)].getBytes(StandardCharsets.US_ASCII);
    EventTemplate t = templates.get(psp);
    String sig;
    String stamp = null;
    switch (psp) {
      case "paypal" -> {
        String transmissionId = new UUID(transmissionIdHigh, seq).toString();
        stamp = Instant.ofEpochSecond(ts).toString();
        sig = signer.paypal(transmissionId, stamp, t, id, key, decline);
        return new Event(psp, Params.endpoint(psp), eventId, kind, sig, stamp, transmissionId, paypalKey.certUrl(),
            t, id, key, decline, null);
      }
      case "stripe" -> sig = signer.stripe(ts, t, id, key, decline);
      case "razorpay" -> sig = signer.razorpay(t, id, key, decline);
      case "standard" -> {
        sig = signer.standard(eventId, ts, t, id, key, decline);
        stamp = Long.toString(ts);
      }
      default -> throw new IllegalArgumentException("psp not supported by the feeder: " + psp);
    }
    return new Event(psp, Params.endpoint(psp), eventId, kind, sig, stamp, t, id, key, decline, null);
  }

  /** One oversized body per PSP, correctly signed: only its size may get it refused. */
  private synchronized Event oversized(String psp, long ts) {
    return oversized.computeIfAbsent(psp, p -> {
      String eventId = "evt_" + Params.RUN_ID + "_" + tag + "oversized";
      StringBuilder sb = new StringBuilder(OVERSIZE_BYTES + 100);
      sb.append("{\"id\":\"").append(eventId).append("\",\"type\":\"invoice.payment_failed\",\"padding\":\"");
      while (sb.length() < OVERSIZE_BYTES) {
        sb.append("0123456789abcdef");
      }
      byte[] body = sb.append("\"}").toString().getBytes(StandardCharsets.US_ASCII);
      Signer signer = newSigner();
      if (p.equals("paypal")) {
        String transmissionId = UUID.randomUUID().toString();
        String time = Instant.ofEpochSecond(ts).toString();
        return new Event(p, Params.endpoint(p), eventId, Event.Kind.OVERSIZED,
            signer.paypal(transmissionId, time, body), time, transmissionId, paypalKey.certUrl(), null, null, null,
            null, body);
      }
      String sig = switch (p) {
        case "stripe" -> signer.stripe(ts, body);
        default -> "0".repeat(64);   // razorpay/standard: refused on size before the signature is read
      };
      return new Event(p, Params.endpoint(p), eventId, Event.Kind.OVERSIZED, sig, Long.toString(ts), null, null,
          null, null, body);
    });
  }

  /** Points each duplicate slot at a valid event sent 0.5–3 s of traffic earlier (this chunk or the one before). */
  private void resolveDuplicates(Chunk c, Chunk p) {
    Event[] chunk = c.events;
    Event[] previous = p == null ? null : p.events;
    SplittableRandom rnd = new SplittableRandom(chunk.length * 7L + (previous == null ? 0 : 1));
    for (int j = 0; j < chunk.length; j++) {
      if (chunk[j] != null) {
        continue;
      }
      int at = j - (minLag + rnd.nextInt(Math.max(1, maxLag - minLag)));
      Event target = null;
      for (int k = at; target == null && k > at - 1000; k--) {
        if (k < 0 && previous == null) {
          break;
        }
        Event e = k >= 0 ? chunk[k] : previous[previous.length + k];
        if (e != null && e.kind == Event.Kind.VALID && !(k >= 0 && c.dup[k])) {
          target = e;
        }
      }
      if (target == null) {   // nothing sent before it yet: send the first valid event after it instead
        for (int k = j + 1; k < chunk.length && target == null; k++) {
          if (chunk[k] != null && chunk[k].kind == Event.Kind.VALID) {
            target = chunk[k];
          }
        }
      }
      if (target == null) {   // a chunk without a single valid event (all shares at 1.0): drop the slot
        target = chunk[j == 0 ? 1 : j - 1];
      }
      chunk[j] = target;
      c.dup[j] = true;
    }
  }

  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public synchronized Map<String, Object> next() {
    if (fed++ == 0) {
      firstFeedMillis = System.currentTimeMillis();
    }
    if (pos == current.events.length) {
      current = take();
      chunks.add(current);
      pos = 0;
    }
    Event e = current.events[pos];
    boolean dup = current.dup[pos];
    if (++repeat >= copies) {
      repeat = 0;
      pos++;
    }
    e.markSent();
    String name = switch (e.kind) {
      case VALID -> copies > 1 ? e.psp + " storm" : dup ? e.psp + " duplicate" : e.psp;
      case BAD_SIGNATURE -> e.psp + " bad signature";
      case OVERSIZED -> e.psp + " oversized";
    };
    return Map.of("psp", e.psp, "name", name, "e", e);
  }

  private Chunk take() {
    Chunk next = ready.poll();
    if (next != null) {
      return next;
    }
    if (background == null) {   // the profile asked for more than estimated: sign another chunk now
      Chunk chunk = sign((int) chunkIndex++, System.currentTimeMillis() / 1000);
      resolveDuplicates(chunk, chunks.isEmpty() ? null : chunks.get(chunks.size() - 1));
      return chunk;
    }
    try {
      return ready.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for signed events", e);
    }
  }

  /** Every distinct event handed out so far (each once), for the answer ledger. */
  public synchronized List<Event> handedOut() {
    List<Event> out = new ArrayList<>();
    java.util.Set<Event> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Chunk c : chunks) {
      for (Event e : c.events) {
        if (e != null && e.sent() > 0 && seen.add(e)) {
          out.add(e);
        }
      }
    }
    return out;
  }

  /** When the first record was fed (the population's first request), 0 if none. */
  public synchronized long firstFeedMillis() {
    return firstFeedMillis;
  }

  /** Records fed so far (requests sent). */
  public synchronized long fed() {
    return fed;
  }

  public void close() {
    closed = true;
    if (background != null) {
      background.interrupt();
    }
  }

  /** Ten seconds or so of events; dup[i] marks a slot that re-sends an earlier event. */
  private static final class Chunk {
    final Event[] events;
    final boolean[] dup;

    Chunk(Event[] events) {
      this.events = events;
      this.dup = new boolean[events.length];
    }
  }

  private Signer newWrongSigner() {
    return new Signer("whsec_wrong_secret_of_an_attacker", "wrong_secret_of_an_attacker",
        "whsec_d3Jvbmctc2VjcmV0LW9mLWFuLWF0dGFja2VyLTMyYg==", paypalForger);
  }

  private Signer newSigner() {
    return new Signer(Params.secret("stripe"), Params.secret("razorpay"), Params.secret("standard"), paypalKey);
  }
}
