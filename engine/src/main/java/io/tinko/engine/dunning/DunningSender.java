package io.tinko.engine.dunning;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tinko.engine.normalize.Currencies;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.mail.MailMessage;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the due dunning emails: each pass turns new enrolments into steps, claims due steps (SKIP LOCKED, so any
 * number of senders share them), and for each one checks the payment is still unpaid and the customer still wants
 * emails, issues the signed links, renders and sends. An SMTP failure puts the step back with a later due time; it
 * ends as failed after {@code maxTries}. Every outcome is a notification-log row written with the step's status.
 * A pass costs a fixed number of statements and commits whatever its size (links in one, every step's end in one
 * transaction): one commit per email would cost Postgres more than the email's own rows while decisions are busy.
 * With a send rate ({@code dunning.maxPerSecond}, per sender) a pass plans and claims at most that many and the next
 * starts once the emails sent fit in it: the rate a relay allows, and CPU left to the decisions in a burst of
 * failures. What waits stays in the tables: enrolments not yet planned, and due steps.
 */
public final class DunningSender extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DunningSender.class);
  private static final String LAG_GAUGE = "tinko_dunning_lag_seconds";

  /**
   * What one pass did: enrolments it planned into steps, and steps it claimed (each then sent or ended).
   *
   * @param planned enrolments planned, at most {@link Settings#claimLimit}
   * @param claimed steps claimed, at most {@link Settings#claimLimit}
   * @param mailed emails handed to the SMTP client (rendered, their links issued), what the send rate counts
   */
  public record Pass(int planned, int claimed, int mailed) {
    /**
     * A pass that filled its batch on either side leaves more to do now. Planning counts on its own: enrolments
     * whose first email is not due yet (a tenant's sequence that starts after a delay, or an empty one) claim
     * nothing, and a backlog of them must not wait a poll interval per batch.
     */
    public boolean full(int batchSize) {
      return planned >= batchSize || claimed >= batchSize;
    }
  }

  /**
   * Sender settings from the {@code dunning:} configuration.
   *
   * @param maxPerSecond emails this sender hands to the SMTP server per second at most, on average over its passes
   *                     (a pass's emails go together); 0 = no limit
   */
  public record Settings(long pollIntervalMs, int batchSize, int maxPerSecond, long leaseSeconds,
                         Duration retryInitial, Duration retryMax, int maxTries, Duration linkTtl, String publicUrl,
                         String from) {
    public Settings {
      if (maxPerSecond < 0) {
        throw new IllegalArgumentException("dunning.maxPerSecond must be 0 (no limit) or more, got " + maxPerSecond);
      }
    }

    /** Steps claimed per pass: the batch size, or fewer under a send rate, so no pass sends a second's worth. */
    int claimLimit() {
      return maxPerSecond > 0 ? Math.min(batchSize, maxPerSecond) : batchSize;
    }

    /** How long after a pass's start the next may start, for the emails it sent: 0 without a send rate. */
    long paceNanos(int mailed) {
      return maxPerSecond > 0 ? mailed * 1_000_000_000L / maxPerSecond : 0;
    }
  }

  private final StepStore store;
  private final DunningSequences sequences;
  private final EmailRenderer renderer;
  private final LinkTokens tokens;
  private final Mailer mailer;
  private final Clock clock;
  private final Settings settings;
  private final MeterRegistry registry;
  private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
  private long timer = -1;
  /** The pass under way, if any: {@link #stop} waits for it, so it never runs on a pool closed under it. */
  private Future<Pass> current;
  private boolean stopping;
  /** Send rate: no pass starts before this ({@link System#nanoTime}); the timer that polls then, if one is set. */
  private long notBefore = System.nanoTime();
  private long paceTimer = -1;
  /** tinko_dunning_lag_seconds, read at the start of a pass at most once a second ({@link StepStore#LAG}). */
  private final AtomicReference<Double> lag = new AtomicReference<>(0.0);
  /** Whether this sender's reading is the gauge's: only then does it read the lag. */
  private final boolean measuresLag;
  private long nextLagNanos = System.nanoTime();

  public DunningSender(io.vertx.sqlclient.Pool pool, DunningSequences sequences, EmailRenderer renderer,
                       LinkTokens tokens, Mailer mailer, Clock clock, Settings settings, MeterRegistry registry) {
    this.store = new StepStore(pool);
    this.sequences = sequences;
    this.renderer = renderer;
    this.tokens = tokens;
    this.mailer = mailer;
    this.clock = clock;
    this.settings = settings;
    this.registry = registry;
    // one gauge per process: with several senders the first one's reading stands for all (they share the tables),
    // and the others do not read a lag nobody would see
    measuresLag = registry.find(LAG_GAUGE).gauge() == null;
    if (measuresLag) {
      Gauge.builder(LAG_GAUGE, lag, AtomicReference::get)
          .description("How late the oldest waiting dunning email is (due step or unplanned enrolment), in seconds")
          .register(registry);
    }
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(settings.pollIntervalMs(), t -> poll());
    return Future.succeededFuture();
  }

  private void poll() {
    if (current != null || stopping || paceTimer >= 0) {
      return;
    }
    long wait = notBefore - System.nanoTime();
    if (wait > 0) {   // the send rate: the next pass waits until the last one's emails fit in it
      paceTimer = vertx.setTimer(Math.max(1, wait / 1_000_000), t -> {
        paceTimer = -1;
        poll();
      });
      return;
    }
    long started = System.nanoTime();
    current = runOnce();
    current.onComplete(ar -> {
      current = null;
      if (ar.failed()) {
        LOG.warn("dunning pass failed: {}", ar.cause().getMessage());
        return;
      }
      notBefore = started + settings.paceNanos(ar.result().mailed());
      if (ar.result().full(settings.claimLimit())) {
        context.runOnContext(v -> poll());
      }
    });
  }

  /** One pass: plans new enrolments, then sends what is due (at most {@link Settings#claimLimit} steps). */
  public Future<Pass> runOnce() {
    int limit = settings.claimLimit();
    Future<Void> measured = Future.succeededFuture();
    if (measuresLag && System.nanoTime() - nextLagNanos >= 0) {
      nextLagNanos = System.nanoTime() + 1_000_000_000L;
      measured = store.lagSeconds(clock.instant()).onSuccess(lag::set).<Void>mapEmpty().otherwiseEmpty();
    }
    return measured.compose(v -> store.plan(limit, this::sequence))
        .compose(planned -> store.claim(clock.instant(), settings.leaseSeconds(), limit)
            .compose(claimed -> send(claimed).map(mailed -> new Pass(planned, claimed.size(), mailed))));
  }

  private List<DunningSequences.Step> sequence(String declineClass, io.vertx.core.json.JsonObject custom) {
    try {
      return sequences.resolve(declineClass, custom);
    } catch (IllegalArgumentException e) {
      LOG.warn("stored dunning sequence for {} is unusable ({}); using the default", declineClass, e.getMessage());
      return sequences.forClass(declineClass);
    }
  }

  /** An email about to go: its step, recipient and the rendered message (its two links in it). */
  private record Mail(StepStore.Claimed step, String email, String lang, MailMessage message) {}

  /**
   * Sends a pass's emails: steps that need none end at once, and so does a step whose email cannot be rendered; the
   * others' links are issued in one statement, the emails go out concurrently, and every step's end is recorded in
   * one transaction at the end of the pass. Should that record fail, the steps stay claimed and are claimed again
   * after the lease (as when a sender dies). Resolves to the emails handed to the SMTP client, what the send rate
   * counts.
   */
  private Future<Integer> send(List<StepStore.Claimed> claimed) {
    List<StepStore.Outcome> outcomes = new ArrayList<>();
    List<Mail> mails = new ArrayList<>();
    List<StepStore.Link> links = new ArrayList<>();
    Instant expires = clock.instant().plus(settings.linkTtl());
    for (StepStore.Claimed s : claimed) {
      String email = s.tx() == null ? null : s.tx().getString("customer_email");
      String lang = s.tx() == null ? null : Messages.language(s.tx().getString("customer_locale"));
      StepStore.Outcome early = withoutEmail(s, email, lang);
      if (early != null) {
        outcomes.add(early);
        continue;
      }
      UUID pay = UUID.randomUUID();
      UUID stop = UUID.randomUUID();
      MailMessage message;
      try {
        message = message(s, s.tx(), email,
            url(new LinkTokens.Claims(pay, s.orgId(), s.transactionId(), "pay", expires)),
            url(new LinkTokens.Claims(stop, s.orgId(), s.transactionId(), "unsubscribe", expires)) + "/stop");
      } catch (RuntimeException e) {   // e.g. a currency code Java does not know: retrying cannot help
        LOG.atError().addKeyValue("stepId", s.id()).addKeyValue("transactionId", s.transactionId())
            .log("dunning email cannot be rendered: {}", e.toString());
        outcomes.add(new StepStore.Outcome(s, "failed", null, "failed", email, lang, null,
            "render: " + e.getMessage()));
        continue;
      }
      links.add(new StepStore.Link(pay, s, "pay"));
      links.add(new StepStore.Link(stop, s, "unsubscribe"));
      mails.add(new Mail(s, email, lang, message));
    }
    Future<Integer> sent = mails.isEmpty() ? Future.succeededFuture(0)
        : store.links(links, tokens.signingKeyId(), expires).compose(v -> {
          List<Future<StepStore.Outcome>> each = new ArrayList<>(mails.size());
          mails.forEach(m -> each.add(mail(m)));
          return Future.join(each).map(all -> {
            each.forEach(f -> outcomes.add(f.result()));
            return mails.size();
          });
        }, err -> {
          mails.forEach(m -> LOG.atWarn().addKeyValue("stepId", m.step().id())
              .addKeyValue("transactionId", m.step().transactionId())
              .log("issuing the email's links failed ({}); the step is claimed again after the lease",
                  err.getMessage()));
          return Future.succeededFuture(0);
        });
    return sent.compose(handed -> store.finish(outcomes).onSuccess(v -> outcomes.forEach(o -> count(o.counted())))
        .recover(err -> {
          LOG.warn("recording {} dunning steps failed ({}); they are claimed again after the lease", outcomes.size(),
              err.getMessage());
          return Future.succeededFuture();
        }).map(handed));
  }

  /** The end of a step that sends no email (its payment recovered, no address, unsubscribed...), or null. */
  private static StepStore.Outcome withoutEmail(StepStore.Claimed s, String email, String lang) {
    Row tx = s.tx();
    if (tx == null) {
      return new StepStore.Outcome(s, "failed", null, null, null, null, null, "transaction not found");
    }
    if ("recovered".equals(tx.getString("status"))) {
      return new StepStore.Outcome(s, "cancelled", null, null, null, null, null, null);
    }
    if (email == null || email.isBlank()) {
      return new StepStore.Outcome(s, "suppressed", null, "suppressed", null, lang, null, "no customer email");
    }
    if (Boolean.TRUE.equals(tx.getBoolean("unsubscribed"))) {
      return new StepStore.Outcome(s, "suppressed", null, "suppressed", email, lang, null, "customer unsubscribed");
    }
    if (tx.getLong("amount_minor") == null || tx.getString("currency") == null) {
      return new StepStore.Outcome(s, "suppressed", null, "suppressed", email, lang, null, "amount not known yet");
    }
    return null;
  }

  /** Sends one rendered email; resolves (never fails) to the step's outcome. */
  private Future<StepStore.Outcome> mail(Mail m) {
    StepStore.Claimed s = m.step();
    return mailer.send(m.message())
        .map(id -> new StepStore.Outcome(s, "sent", null, "sent", m.email(), m.lang(), id, null))
        .otherwise(err -> failed(s, m.email(), m.lang(), err));
  }

  /** tinko_dunning_emails_total{outcome}, counted once the step's end is recorded. */
  private void count(String outcome) {
    outcomes.computeIfAbsent(outcome, o -> Counter.builder("tinko_dunning_emails_total")
        .description("Dunning steps by outcome: sent, retrying (SMTP failed), failed, suppressed, cancelled")
        .tag("outcome", o).register(registry)).increment();
  }

  private StepStore.Outcome failed(StepStore.Claimed s, String email, String lang, Throwable err) {
    String error = "smtp: " + err.getMessage();
    if (s.tries() >= settings.maxTries()) {
      LOG.atError().addKeyValue("stepId", s.id()).addKeyValue("transactionId", s.transactionId())
          .log("dunning email failed {} times, giving up: {}", s.tries(), err.getMessage());
      return new StepStore.Outcome(s, "failed", null, "failed", email, lang, null, error);
    }
    long factor = 1L << Math.min(20, s.tries() - 1);
    Duration wait = settings.retryInitial().multipliedBy(factor);
    wait = wait.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : wait;
    LOG.atWarn().addKeyValue("stepId", s.id()).addKeyValue("transactionId", s.transactionId())
        .log("dunning email not sent (try {}), again in {}: {}", s.tries(), wait, err.getMessage());
    return new StepStore.Outcome(s, null, clock.instant().plus(wait), "retrying", email, lang, null, error);
  }

  private MailMessage message(StepStore.Claimed s, Row tx, String email, String payUrl, String stopUrl) {
    String merchant = firstNonBlank(tx.getString("display_name"), tx.getString("name"));
    String currency = tx.getString("currency").trim();
    Short exp = tx.getShort("amount_exponent");
    EmailRenderer.Email e = renderer.render(new EmailRenderer.Context(s.template(), s.declineClass(),
        tx.getString("customer_locale"), merchant, tx.getString("logo_url"), tx.getString("support_email"),
        tx.getLong("amount_minor"), currency, exp != null ? exp : Currencies.isoExponent(currency), payUrl, stopUrl,
        settings.linkTtl().toDays()));
    MailMessage m = new MailMessage().setFrom(from(merchant)).setTo(email).setSubject(e.subject())
        .setText(e.text()).setHtml(e.html());
    String replyTo = firstNonBlank(tx.getString("reply_to"), tx.getString("support_email"));
    if (replyTo != null) {
      m.addHeader("Reply-To", replyTo.replaceAll("[\\r\\n]", ""));
    }
    m.addHeader("List-Unsubscribe", "<" + stopUrl + ">");
    m.addHeader("Content-Language", e.language());
    m.addHeader("X-Tinko-Step", s.declineClass() + "/" + s.stepNo() + "/" + s.template());
    m.addHeader("X-Tinko-Transaction", s.transactionId().toString());
    return m;
  }

  private String url(LinkTokens.Claims c) {
    return settings.publicUrl() + "/r/" + tokens.sign(c);
  }

  /** The deployment's sender address under the merchant's name (ASCII names only; others keep smtp.from's). */
  private String from(String merchant) {
    String from = settings.from();
    int lt = from.indexOf('<');
    String address = lt >= 0 && from.endsWith(">") ? from.substring(lt + 1, from.length() - 1) : from;
    String name = merchant == null ? "" : merchant.replaceAll("[\"\\\\\\r\\n]", "");
    return name.isBlank() || !name.chars().allMatch(ch -> ch >= 32 && ch < 127) ? from
        : "\"" + name + "\" <" + address + ">";
  }

  private static String firstNonBlank(String a, String b) {
    return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    if (paceTimer >= 0) {
      vertx.cancelTimer(paceTimer);
    }
    // a pass under way finishes first (its emails sent and recorded), whatever its outcome; no new one starts
    return current == null ? Future.succeededFuture() : current.otherwiseEmpty();
  }
}
