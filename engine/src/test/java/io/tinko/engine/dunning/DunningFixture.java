package io.tinko.engine.dunning;

import com.icegreen.greenmail.util.GreenMail;
import io.tinko.engine.support.Await;
import io.tinko.engine.support.EngineHarness;
import io.tinko.engine.support.TestClock;
import io.vertx.core.Vertx;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** A dunning sender over the test database and a real SMTP server, with its own hand-moved clock. */
final class DunningFixture implements AutoCloseable {
  static final String KEY = "t1:" + Base64.getEncoder().encodeToString(new byte[32]);
  final EngineHarness h;
  // a minute ahead of the database's clock, which stamps decisions (and so enrolments) as they commit
  final TestClock clock = new TestClock(Instant.now().plusSeconds(60));
  private final Mailer mailer;
  final DunningSender sender;
  final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
      new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

  DunningFixture(Vertx vertx, EngineHarness h, int smtpPort) {
    this.h = h;
    this.mailer = Mailer.create(vertx, "smtp://127.0.0.1:" + smtpPort, 5000);
    this.sender = sender(1000);
  }

  /**
   * A sender over the same database, SMTP server, clock and metrics, passes of 50; {@link #sender} is driven by hand
   * ({@link #drain}), one made here with its own poll interval can be deployed to run on its timer.
   */
  DunningSender sender(long pollIntervalMs) {
    return sender(pollIntervalMs, 0);
  }

  /** The same, sending at most {@code maxPerSecond} emails a second (0: no limit). */
  DunningSender sender(long pollIntervalMs, int maxPerSecond) {
    return new DunningSender(h.pool, DunningSequences.loadDefaults(), EmailRenderer.load(Messages.load()),
        new LinkTokens(LinkKeys.parse(List.of(KEY)), clock), mailer, clock,
        new DunningSender.Settings(pollIntervalMs, 50, maxPerSecond, 120, Duration.ofSeconds(10), Duration.ofMinutes(5), 5,
            Duration.ofDays(7), "https://pay.example.com", "Tinko <no-reply@tinko.test>"), registry);
  }

  /** Passes until one finds nothing to plan and nothing due now. */
  void drain() {
    DunningSender.Pass pass;
    do {
      pass = Await.await(sender.runOnce());   // a pass plans and claims at most one batch each
    } while (pass.planned() > 0 || pass.claimed() > 0);
  }

  /** Moves the clock a day at a time, draining after each, for {@code days} days. */
  void days(int days) {
    for (int i = 0; i < days; i++) {
      clock.advance(Duration.ofDays(1));
      drain();
    }
  }

  /** A failed transaction as the engine writes it, and the engine's decision for it (which enrols by trigger). */
  UUID failedTransaction(UUID org, String declineClass, String email, String locale, boolean notify) {
    UUID tx = UUID.randomUUID();
    h.db.execute("INSERT INTO transactions (id, org_id, psp, endpoint_id, psp_payment_key, customer_email, "
        + "customer_locale, amount_minor, currency, amount_exponent, status, decline_class, failed_at, last_event_at) "
        + "VALUES (?, ?, 'stripe', 'ep_x', ?, ?, ?, 4900, 'EUR', 2, 'action_required', ?, now(), now())", tx, org,
        "invoice:in_" + tx, email, locale, declineClass);
    decision(org, tx, declineClass, notify);
    return tx;
  }

  void decision(UUID org, UUID tx, String declineClass, boolean notify) {
    h.db.execute("INSERT INTO decisions (id, org_id, transaction_id, decline_class, action, rule, notify_customer) "
        + "VALUES (?, ?, ?, ?, 'REQUEST_CUSTOMER_ACTION', 'test', ?)", UUID.randomUUID(), org, tx, declineClass,
        notify);
  }

  /** The dunning emails received, as "transaction/class/step/template" from the sender's own header. */
  static List<String> steps(GreenMail mail) throws Exception {
    List<String> out = new ArrayList<>();
    for (MimeMessage m : mail.getReceivedMessages()) {
      out.add(m.getHeader("X-Tinko-Transaction", null) + "/" + m.getHeader("X-Tinko-Step", null));
    }
    return out;
  }

  /** The decoded part of this MIME type (text/plain, text/html), or null. */
  static String part(jakarta.mail.Part p, String mimeType) throws Exception {
    if (p.isMimeType(mimeType)) {
      return (String) p.getContent();
    }
    if (p.getContent() instanceof jakarta.mail.Multipart mp) {
      for (int i = 0; i < mp.getCount(); i++) {
        String found = part(mp.getBodyPart(i), mimeType);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  @Override
  public void close() {
    Await.await(mailer.close());
  }
}
