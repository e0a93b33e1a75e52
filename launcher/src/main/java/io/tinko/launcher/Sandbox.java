package io.tinko.launcher;

import io.tinko.common.config.TinkoConfig;
import io.tinko.common.crypto.SecretBox;
import io.tinko.fakes.PspFakes;
import io.tinko.gateway.webhook.ConnectionSecrets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox of {@code tinko up} ({@code engine.sandbox.enabled}): the fake Stripe, Razorpay and PayPal run in the
 * process, and a person can go through a recovery by hand — a failed payment, the email in .tinko/mail, its link, the
 * fake PSP's hosted page, back, recovered. For that this wires, before the gateway and engine start:
 * <ul>
 *   <li>an organisation "Sandbox Shop" with a Razorpay connection {@value #RAZORPAY_ENDPOINT} (webhook secret
 *       {@value #RAZORPAY_SECRET}) and a PayPal connection {@value #PAYPAL_ENDPOINT} (webhook id
 *       {@value #PAYPAL_WEBHOOK_ID}), whose API base URLs are the fakes (rewritten at every start: the ports may
 *       change);</li>
 *   <li>the fakes' webhooks to those endpoints of this gateway, signed as the PSPs sign them;</li>
 *   <li>the gateway's PayPal verification to trust the fake PayPal's CA (written to
 *       {@code <dataDir>/sandbox/paypal-ca.pem}) and its certificate host 127.0.0.1.</li>
 * </ul>
 * Never for production: those are fixed, published secrets.
 */
final class Sandbox {
  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
  static final UUID ORG = UUID.fromString("0190f1c0-0000-7000-8000-5a6db0c5a6db");
  static final String RAZORPAY_ENDPOINT = "ep_sandbox_razorpay";
  static final String RAZORPAY_SECRET = "rzp_sandbox_webhook_secret";
  static final String PAYPAL_ENDPOINT = "ep_sandbox_paypal";
  static final String PAYPAL_WEBHOOK_ID = "WH-SANDBOX-TINKO";

  /** The running fakes, and the configuration the gateway must start with to accept their webhooks. */
  record Started(PspFakes fakes, TinkoConfig config) {
    String stripeUrl() {
      return fakes.stripe().baseUrl();
    }
  }

  private Sandbox() {}

  static boolean enabled(TinkoConfig config) {
    return "true".equalsIgnoreCase(config.string("engine.sandbox.enabled"));
  }

  static Future<Started> start(Vertx vertx, Pool pool, TinkoConfig config, byte[] masterKey) {
    return PspFakes.start(vertx, config.integer("engine.sandbox.stripePort"),
            config.integer("engine.sandbox.razorpayPort"), config.integer("engine.sandbox.paypalPort"))
        .compose(fakes -> vertx.executeBlocking(() -> writeCa(config, fakes.paypal().caPem()), false)
            .compose(ca -> connections(pool, fakes, masterKey).map(v -> {
              String base = config.publicUrl();
              fakes.razorpay().webhooks(base + "/v1/webhooks/razorpay/" + RAZORPAY_ENDPOINT, RAZORPAY_SECRET);
              fakes.paypal().webhooks(base + "/v1/webhooks/paypal/" + PAYPAL_ENDPOINT, PAYPAL_WEBHOOK_ID);
              List<String> hosts = config.list("webhooks.paypal.certHosts");
              JsonArray certHosts = new JsonArray(new java.util.ArrayList<>(hosts));
              if (!hosts.contains(fakes.paypal().certHost())) {
                certHosts.add(fakes.paypal().certHost());
              }
              LOG.warn("sandbox (never in production): fake Stripe {}, Razorpay {}, PayPal {}; connections {} "
                  + "(webhook secret {}) and {} of organisation {}", fakes.stripe().baseUrl(),
                  fakes.razorpay().baseUrl(), fakes.paypal().baseUrl(), RAZORPAY_ENDPOINT, RAZORPAY_SECRET,
                  PAYPAL_ENDPOINT, ORG);
              return new Started(fakes, config.with("webhooks.paypal.certHosts", certHosts)
                  .with("webhooks.paypal.trustStore", ca.toString())
                  .with("webhooks.paypal.fetchTrustStore", ca.toString()));
            })));
  }

  private static Path writeCa(TinkoConfig config, String pem) throws java.io.IOException {
    Path dir = config.dataDir().resolve("sandbox");
    Files.createDirectories(dir);
    Path ca = dir.resolve("paypal-ca.pem");
    Files.writeString(ca, pem);
    return ca;
  }

  private static Future<Void> connections(Pool pool, PspFakes fakes, byte[] masterKey) {
    ConnectionSecrets sealing = new ConnectionSecrets(new SecretBox(masterKey));
    String upsert = """
        INSERT INTO psp_connections (id, org_id, psp, webhook_secret_enc, credentials_enc, api_base_url,
                                     paypal_webhook_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (id) DO UPDATE SET webhook_secret_enc = excluded.webhook_secret_enc,
            credentials_enc = excluded.credentials_enc, api_base_url = excluded.api_base_url,
            paypal_webhook_id = excluded.paypal_webhook_id, status = 'active', updated_at = now()
         WHERE psp_connections.org_id = excluded.org_id""";
    Tuple razorpay = Tuple.of(RAZORPAY_ENDPOINT, ORG, "razorpay",
        Buffer.buffer(sealing.sealWebhookSecret(RAZORPAY_ENDPOINT, RAZORPAY_SECRET)),
        Buffer.buffer(sealing.sealCredentials(RAZORPAY_ENDPOINT, new JsonObject().put("keyId", "rzp_test_sandbox")
            .put("keySecret", "sandbox_key_secret").encode())), fakes.razorpay().baseUrl(), null);
    Tuple paypal = Tuple.of(PAYPAL_ENDPOINT, ORG, "paypal",
        Buffer.buffer(sealing.sealWebhookSecret(PAYPAL_ENDPOINT, "unused-paypal-signs-with-certificates")),
        Buffer.buffer(sealing.sealCredentials(PAYPAL_ENDPOINT, new JsonObject().put("clientId", "AcYsandbox")
            .put("clientSecret", "EFsandbox").encode())), fakes.paypal().baseUrl(), PAYPAL_WEBHOOK_ID);
    return pool.withTransaction(c -> c.preparedQuery(
            "INSERT INTO organizations (id, name) VALUES ($1, 'Sandbox Shop') ON CONFLICT (id) DO NOTHING")
        .execute(Tuple.of(ORG))
        .compose(r -> c.preparedQuery(upsert).executeBatch(List.of(razorpay, paypal)))).mapEmpty();
  }
}
