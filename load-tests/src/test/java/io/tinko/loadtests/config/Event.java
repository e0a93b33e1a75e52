package io.tinko.loadtests.config;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One signed webhook delivery, ready to send, and what this run was answered for it. A duplicate is the same
 * object fed again. The counters are the run's ledger for the zero-loss audit: one atomic increment per answer
 * is all the bookkeeping the hot path does.
 */
public final class Event {
  public enum Kind { VALID, BAD_SIGNATURE, OVERSIZED }

  private static final AtomicIntegerFieldUpdater<Event> SENT = AtomicIntegerFieldUpdater.newUpdater(Event.class, "sent");
  private static final AtomicIntegerFieldUpdater<Event> ACCEPTED =
      AtomicIntegerFieldUpdater.newUpdater(Event.class, "accepted");
  private static final AtomicIntegerFieldUpdater<Event> DUPLICATE =
      AtomicIntegerFieldUpdater.newUpdater(Event.class, "duplicate");

  public final String psp;
  public final String endpointId;
  public final String path;
  public final String eventId;
  public final Kind kind;
  /**
   * Header value carrying the signature (Stripe-Signature, X-Razorpay-Signature, webhook-signature or
   * PAYPAL-TRANSMISSION-SIG).
   */
  public final String signature;
  /** webhook-timestamp (Standard Webhooks) or PAYPAL-TRANSMISSION-TIME (ISO-8601), else null. */
  public final String timestamp;
  /** PAYPAL-TRANSMISSION-ID, else null. */
  public final String transmissionId;
  /** PAYPAL-CERT-URL (one per run), else null; PAYPAL-AUTH-ALGO is {@link PaypalKey#ALGORITHM}. */
  public final String certUrl;
  private final EventTemplate template;
  private final byte[] id;
  private final byte[] key;
  private final byte[] decline;
  private final byte[] fixedBody;

  private volatile int sent;
  private volatile int accepted;
  private volatile int duplicate;

  Event(String psp, String endpointId, String eventId, Kind kind, String signature, String timestamp,
        EventTemplate template, byte[] id, byte[] key, byte[] decline, byte[] fixedBody) {
    this(psp, endpointId, eventId, kind, signature, timestamp, null, null, template, id, key, decline, fixedBody);
  }

  Event(String psp, String endpointId, String eventId, Kind kind, String signature, String timestamp,
        String transmissionId, String certUrl, EventTemplate template, byte[] id, byte[] key, byte[] decline,
        byte[] fixedBody) {
    this.psp = psp;
    this.endpointId = endpointId;
    this.path = "/v1/webhooks/" + psp + "/" + endpointId;
    this.eventId = eventId;
    this.kind = kind;
    this.signature = signature;
    this.timestamp = timestamp;
    this.transmissionId = transmissionId;
    this.certUrl = certUrl;
    this.template = template;
    this.id = id;
    this.key = key;
    this.decline = decline;
    this.fixedBody = fixedBody;
  }

  /** The raw body, rendered at send time (a copy of ~1.7 KB; oversized bodies are one shared array). */
  public byte[] body() {
    return fixedBody != null ? fixedBody : template.render(id, key, decline);
  }

  /** The status the contract requires (in baseline mode everything is 200). */
  public int expectedStatus() {
    if (Params.BARE) {
      return 200;
    }
    return switch (kind) {
      case VALID -> 200;
      case BAD_SIGNATURE -> 401;
      case OVERSIZED -> 413;
    };
  }

  void markSent() {
    SENT.incrementAndGet(this);
  }

  /**
   * Records an answer body and says whether it is one the contract allows: a request that must be accepted gets
   * {"status":"accepted"} or {"status":"duplicate"}; for the others the status check decides. Error bodies never
   * contain {@code "status":"accepted"}, so the status need not be known here.
   */
  public boolean observe(String body) {
    if (Params.BARE) {
      return true;
    }
    boolean ok = false;
    if (body.contains("\"status\":\"accepted\"")) {
      ACCEPTED.incrementAndGet(this);
      ok = true;
    } else if (body.contains("\"status\":\"duplicate\"")) {
      DUPLICATE.incrementAndGet(this);
      ok = true;
    }
    return ok || kind != Kind.VALID;
  }

  public int sent() {
    return sent;
  }

  public int accepted() {
    return accepted;
  }

  public int duplicates() {
    return duplicate;
  }
}
