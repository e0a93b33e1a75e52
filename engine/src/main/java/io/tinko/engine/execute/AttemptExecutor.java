package io.tinko.engine.execute;

import io.tinko.engine.recovery.ChargeResult;
import io.tinko.engine.recovery.OutcomeRecorder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs due recovery attempts: claims a batch ({@link AttemptClaimer}), charges each through its PSP's client
 * ({@link PspClients}; blocking clients run on worker threads), and records each outcome ({@link OutcomeRecorder}).
 * Nothing here blocks the event loop. If the engine dies after a claim, the row's lease runs out and an executor
 * (this one after a restart, or another process) sends the same attempt again with the same idempotency key: the
 * PSP replays its stored answer (Stripe, PayPal), or our stored Razorpay order is asked first, so money moves once.
 */
public final class AttemptExecutor extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptExecutor.class);

  /** @param lease how long a claim holds before another executor may take the attempt over (above the PSP timeout) */
  public record Settings(long pollIntervalMs, int batchSize, Duration lease) {}

  private final AttemptClaimer claimer;
  private final OutcomeRecorder recorder;
  private final PspClients clients;
  private final ConnectionCredentials credentials;
  private final Clock clock;
  private final Settings settings;
  private long timer = -1;
  private boolean polling;

  public AttemptExecutor(AttemptClaimer claimer, OutcomeRecorder recorder, PspClients clients,
                         ConnectionCredentials credentials, Clock clock, Settings settings) {
    this.claimer = claimer;
    this.recorder = recorder;
    this.clients = clients;
    this.credentials = credentials;
    this.clock = clock;
    this.settings = settings;
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
        LOG.warn("executor pass failed: {}", ar.cause().getMessage());
      } else if (ar.result() >= settings.batchSize()) {
        context.runOnContext(v -> poll());   // a full batch: more may be due
      }
    });
  }

  /** One pass: claims due attempts and resolves when every outcome is recorded; the number claimed. Public for tests. */
  public Future<Integer> runOnce() {
    return claimer.claim(clock.instant(), settings.lease(), settings.batchSize()).compose(claimed -> {
      List<Future<?>> runs = new ArrayList<>(claimed.size());
      for (ClaimedAttempt a : claimed) {
        runs.add(execute(a));
      }
      return Future.join(runs).<Integer>map(claimed.size()).recover(err -> Future.succeededFuture(claimed.size()));
    });
  }

  private Future<Boolean> execute(ClaimedAttempt a) {
    return charge(a).compose(result -> recorder.record(a.ref(), result).onSuccess(recorded -> log(a, result, recorded)))
        .onFailure(err -> LOG.atWarn().addKeyValue("attemptId", a.ref().id()).addKeyValue("psp", a.psp().id())
            .addKeyValue("transactionId", a.ref().transactionId())
            .log("recording the outcome failed ({}); the lease expires and the same key is sent again",
                err.getMessage()));
  }

  private Future<ChargeResult> charge(ClaimedAttempt a) {
    if ("recovered".equals(a.transactionStatus())) {
      return Future.succeededFuture(ChargeResult.cancelled("the payment was recovered before the attempt ran"));
    }
    if ("disabled".equals(a.connectionStatus()) || a.connectionStatus() == null) {
      return Future.succeededFuture(ChargeResult.rejected("connection_disabled", "the PSP connection is disabled"));
    }
    PspConnection connection;
    try {
      connection = new PspConnection(a.endpointId(), a.psp(), blankToNull(a.apiBaseUrl()),
          credentials.open(a.endpointId(), a.credentialsEnc()));
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(ChargeResult.rejected("credentials_unreadable", e.getMessage()));
    }
    Charge charge = new Charge(a.ref().id(), a.idempotencyKey(), a.attemptNo(), a.ref().calls(), a.pspRef(),
        connection, a.invoiceId(), a.paymentId(), a.subscriptionId(), a.customerId(), a.paymentMethodId(),
        a.customerEmail(), a.amount(), ref -> claimer.saveRef(a.ref(), ref));
    return clients.charge(charge).recover(err -> Future.succeededFuture(
        ChargeResult.retryable("client_error", String.valueOf(err.getMessage()))));
  }

  private static void log(ClaimedAttempt a, ChargeResult r, boolean recorded) {
    LOG.atInfo().addKeyValue("attemptId", a.ref().id()).addKeyValue("transactionId", a.ref().transactionId())
        .addKeyValue("psp", a.psp().id()).addKeyValue("attemptNo", a.attemptNo()).addKeyValue("calls", a.ref().calls())
        .log("attempt {}: {}{}", r.kind(), r.code(), recorded ? "" : " (claim lost to another executor; not recorded)");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
