package io.tinko.engine.dunning;

import io.micrometer.core.instrument.Counter;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the due dunning emails: each pass turns new enrolments into steps, claims due steps (SKIP LOCKED, so any
 * number of senders share them), and for each one checks the payment is still unpaid and the customer still wants
 * emails, issues the signed links, renders and sends. An SMTP failure puts the step back with a later due time; it
 * ends as failed after {@code maxTries}. Every outcome is a notification-log row written with the step's status.
 */
public final class DunningSender extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DunningSender.class);

  /** Sender settings from the {@code dunning:} configuration. */
  public record Settings(long pollIntervalMs, int batchSize, long leaseSeconds, Duration retryInitial,
                         Duration retryMax, int maxTries, Duration linkTtl, String publicUrl, String from) {}

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
  private boolean polling;

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
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(settings.pollIntervalMs(), t -> poll());
    return Future.succeededFuture();
  }

  private void poll() {
    if (polling) {
      return;
    }
    polling = true;
    runOnce().onComplete(ar -> {
      polling = false;
      if (ar.failed()) {
        LOG.warn("dunning pass failed: {}", ar.cause().getMessage());
      } else if (ar.result() >= settings.batchSize()) {
        context.runOnContext(v -> poll());
      }
    });
  }

  /** One pass: plans new enrolments, then sends what is due; resolves to the number of steps claimed. */
  public Future<Integer> runOnce() {
    return store.plan(settings.batchSize(), this::sequence)
        .compose(planned -> store.claim(clock.instant(), settings.leaseSeconds(), settings.batchSize()))
        .compose(claimed -> {
          List<Future<?>> runs = new ArrayList<>(claimed.size());
          claimed.forEach(s -> runs.add(handle(s).onFailure(err -> LOG.atWarn().addKeyValue("stepId", s.id())
              .addKeyValue("transactionId", s.transactionId())
              .log("recording a dunning step failed ({}); it is claimed again after the lease", err.getMessage()))));
          return Future.join(runs).<Integer>map(claimed.size()).recover(err -> Future.succeededFuture(claimed.size()));
        });
  }

  private List<DunningSequences.Step> sequence(String declineClass, io.vertx.core.json.JsonObject custom) {
    try {
      return sequences.resolve(declineClass, custom);
    } catch (IllegalArgumentException e) {
      LOG.warn("stored dunning sequence for {} is unusable ({}); using the default", declineClass, e.getMessage());
      return sequences.forClass(declineClass);
    }
  }

  private Future<Void> handle(StepStore.Claimed s) {
    Row tx = s.tx();
    if (tx == null) {
      return finish(s, "failed", null, null, null, null, null, "transaction not found");
    }
    if ("recovered".equals(tx.getString("status"))) {
      return finish(s, "cancelled", null, null, null, null, null, null);
    }
    String email = tx.getString("customer_email");
    String lang = Messages.language(tx.getString("customer_locale"));
    if (email == null || email.isBlank()) {
      return finish(s, "suppressed", null, "suppressed", null, lang, null, "no customer email");
    }
    if (Boolean.TRUE.equals(tx.getBoolean("unsubscribed"))) {
      return finish(s, "suppressed", null, "suppressed", email, lang, null, "customer unsubscribed");
    }
    if (tx.getLong("amount_minor") == null || tx.getString("currency") == null) {
      return finish(s, "suppressed", null, "suppressed", email, lang, null, "amount not known yet");
    }
    Instant expires = clock.instant().plus(settings.linkTtl());
    UUID pay = UUID.randomUUID();
    UUID stop = UUID.randomUUID();
    String payUrl = url(new LinkTokens.Claims(pay, s.orgId(), s.transactionId(), "pay", expires));
    String stopUrl = url(new LinkTokens.Claims(stop, s.orgId(), s.transactionId(), "unsubscribe", expires)) + "/stop";
    return store.links(s, new UUID[] {pay, stop}, new String[] {"pay", "unsubscribe"}, tokens.signingKeyId(), expires)
        .compose(v -> {
          MailMessage message;
          try {
            message = message(s, tx, email, payUrl, stopUrl);
          } catch (RuntimeException e) {   // e.g. a currency code Java does not know: retrying cannot help
            LOG.atError().addKeyValue("stepId", s.id()).addKeyValue("transactionId", s.transactionId())
                .log("dunning email cannot be rendered: {}", e.toString());
            return finish(s, "failed", null, "failed", email, lang, null, "render: " + e.getMessage());
          }
          return mailer.send(message)
              .compose(id -> finish(s, "sent", null, "sent", email, lang, id, null))
              .recover(err -> failed(s, email, lang, err));
        });
  }

  /** Records the step's end or next try, then counts it: tinko_dunning_emails_total{outcome}. */
  private Future<Void> finish(StepStore.Claimed s, String stepStatus, Instant retryAt, String logStatus,
                              String recipient, String lang, String messageId, String error) {
    String outcome = logStatus != null ? logStatus : stepStatus;
    return store.finish(s, stepStatus, retryAt, logStatus, recipient, lang, messageId, error)
        .onSuccess(v -> outcomes.computeIfAbsent(outcome, o -> Counter.builder("tinko_dunning_emails_total")
            .description("Dunning steps by outcome: sent, retrying (SMTP failed), failed, suppressed, cancelled")
            .tag("outcome", o).register(registry)).increment());
  }

  private Future<Void> failed(StepStore.Claimed s, String email, String lang, Throwable err) {
    String error = "smtp: " + err.getMessage();
    if (s.tries() >= settings.maxTries()) {
      LOG.atError().addKeyValue("stepId", s.id()).addKeyValue("transactionId", s.transactionId())
          .log("dunning email failed {} times, giving up: {}", s.tries(), err.getMessage());
      return finish(s, "failed", null, "failed", email, lang, null, error);
    }
    long factor = 1L << Math.min(20, s.tries() - 1);
    Duration wait = settings.retryInitial().multipliedBy(factor);
    wait = wait.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : wait;
    LOG.atWarn().addKeyValue("stepId", s.id()).addKeyValue("transactionId", s.transactionId())
        .log("dunning email not sent (try {}), again in {}: {}", s.tries(), wait, err.getMessage());
    return finish(s, null, clock.instant().plus(wait), "retrying", email, lang, null, error);
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
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
