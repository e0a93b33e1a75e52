package io.tinko.engine.support;

import io.tinko.common.crypto.SecretBox;
import io.tinko.engine.execute.AttemptClaimer;
import io.tinko.engine.execute.AttemptExecutor;
import io.tinko.engine.execute.ConnectionCredentials;
import io.tinko.engine.execute.PspClients;
import io.tinko.engine.recovery.ResendPolicy;
import io.tinko.fakes.PspFakes;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;

/**
 * Executors over an {@link EngineHarness}'s database, charging the local fake PSPs (real HTTP servers on free ports).
 * PSP calls time out after 1 s; an unknown outcome is resent after 60 s (doubling, at most 4 sends); leases last 120 s.
 */
public final class ExecutorHarness implements AutoCloseable {
  public static final Duration LEASE = Duration.ofSeconds(120);
  public static final int TIMEOUT_MS = 1000;
  public final EngineHarness h;
  public final PspFakes fakes;
  public final ConnectionCredentials credentials = new ConnectionCredentials(new SecretBox(new byte[32]));
  public final AttemptClaimer claimer;
  public final PspClients clients;

  public ExecutorHarness(EngineHarness h) {
    this.h = h;
    this.fakes = Await.await(PspFakes.start(h.vertx, 0, 0, 0));
    this.claimer = new AttemptClaimer(h.pool);
    this.clients = PspClients.create(h.vertx, TIMEOUT_MS, fakes.stripe().baseUrl());
  }

  /** A connection of {@code psp} pointing at its fake, with credentials the fake accepts. */
  public String connection(UUID org, String psp) {
    String id = "ep_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    JsonObject creds = switch (psp) {
      case "stripe", "sandbox" -> new JsonObject().put("apiKey", "sk_test_fake");
      case "razorpay" -> new JsonObject().put("clientId", "rzp_test_fake").put("clientSecret", "secret");
      default -> new JsonObject().put("clientId", "paypal-client").put("clientSecret", "paypal-secret");
    };
    String base = switch (psp) {
      case "stripe" -> fakes.stripe().baseUrl();
      case "razorpay" -> fakes.razorpay().baseUrl();
      case "paypal" -> fakes.paypal().baseUrl();
      default -> null;   // sandbox: the executor's sandbox default
    };
    h.db.connection(id, org, psp, base, credentials.seal(id, creds));
    return id;
  }

  public AttemptExecutor executor() {
    return executor(clients);
  }

  public AttemptExecutor executor(PspClients with) {
    return new AttemptExecutor(claimer, h.setup.newRecorder(new ResendPolicy(Duration.ofSeconds(60),
        Duration.ofHours(1), 4)), with, credentials, h.clock, new AttemptExecutor.Settings(1000, 16, LEASE));
  }

  /** One executor pass; the number of attempts claimed. */
  public int run() {
    return Await.await(executor().runOnce());
  }

  @Override
  public void close() {
    Await.await(fakes.close());
  }
}
