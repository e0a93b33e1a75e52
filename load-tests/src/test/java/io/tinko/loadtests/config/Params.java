package io.tinko.loadtests.config;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Every knob of the load tests, read once from system properties ({@code -Dtinko.lt.<name>=...}) so the same
 * simulations run against {@code tinko up} on a laptop and against a deployed cluster. Names and defaults are listed
 * in load-tests/README.md.
 */
public final class Params {
  private Params() {}

  /** Base URL of the gateway (or of the bare baseline). */
  public static final String BASE_URL = str("url", "http://127.0.0.1:8080");
  /** Injection profile: smoke, ramp, steady, spike or soak. */
  public static final Profile PROFILE = Profile.parse(str("profile", "steady"));
  /** Target arrival rate (requests per second) at the top of the profile. */
  public static final double RATE = num("rate", PROFILE.defaultRate);
  /** Length of the injection, seconds. */
  public static final int DURATION = (int) num("duration", PROFILE.defaultDurationSeconds);
  /**
   * Seconds of warm-up before the measured profile (a ramp to min(rate, 1000)/s, in the group "warm-up"): the JIT of
   * both JVMs otherwise puts its first-second stalls into the percentiles. 0 = none.
   */
  public static final int WARMUP = (int) num("warmup", 10);
  /** Tag of this run: every event id it sends contains it, so the audit can find exactly this run's rows. */
  public static final String RUN_ID = str("runId",
      "r" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss")));
  /** Where the accepted/duplicate id lists and the run's metadata go. */
  public static final Path OUT_DIR = Path.of(str("outDir", "target"));
  /**
   * Baseline mode: the target is {@code tinko bare}, which answers 200 to everything; checks only expect 200 and
   * nothing is recorded for the audit.
   */
  public static final boolean BARE = Boolean.parseBoolean(str("bare", "false"));

  // Webhook mix (weights) and shares of requests (0..1). PayPal needs its signing key and certificate URL
  // (tinko.lt.paypal.*), which bench provides by starting bench.PaypalCertServer.
  public static final String MIX = str("mix", "stripe=60,razorpay=20,paypal=10,standard=10");
  public static final double DUPLICATE_SHARE = num("duplicateShare", 0.02);
  public static final double BAD_SIGNATURE_SHARE = num("badSignatureShare", 0.005);
  public static final double OVERSIZED_SHARE = num("oversizedShare", 0.001);

  // Endpoints and the secrets they were created with (bench creates them with these values).
  public static String endpoint(String psp) {
    return str("endpoint." + psp, "ep_lt_" + psp);
  }

  public static String secret(String psp) {
    return str("secret." + psp, switch (psp) {
      case "stripe" -> "whsec_loadtest_stripe_0123456789abcdef";
      case "razorpay" -> "loadtest_razorpay_secret_0123456789";
      // whsec_ + base64 of 32 bytes, as Standard Webhooks secrets are
      case "standard" -> "whsec_bG9hZHRlc3Qtc3RhbmRhcmQtd2ViaG9va3MtMzI=";
      default -> "loadtest_" + psp;
    });
  }

  /** The PayPal webhook id the endpoint was created with ({@code --paypal-webhook-id}); it is in every signature. */
  public static String paypalWebhookId() {
    return str("paypal.webhookId", "8LT59711LOADTEST0WEBHOOK");
  }

  /** Events pre-signed at once at most; above this the feeder signs in the background, a minute ahead. */
  public static final int PRESIGN_MAX = (int) num("presignMax", 1_500_000);

  // Duplicate storm: distinct events, each sent by this many virtual users arriving back to back.
  public static final int STORM_COPIES = (int) num("storm.copies", 20);

  // Merchant API (issue 5 contract). The simulation registers this user unless tinko.lt.merchant.register=false.
  public static final String MERCHANT_EMAIL = str("merchant.email", "loadtest+" + RUN_ID + "@tinko.local");
  public static final String MERCHANT_PASSWORD = str("merchant.password", "load-test-password-" + RUN_ID);
  public static final boolean MERCHANT_REGISTER = Boolean.parseBoolean(str("merchant.register", "true"));
  public static final String MERCHANT_IDS_PATH = str("merchant.idsPath", "$.items[*].id");
  /** Rounds of (list, filter, three timelines) a merchant visit makes (on the session it signed in once). */
  public static final int MERCHANT_PAGES_PER_VISIT = (int) num("merchant.pagesPerVisit", 10);

  // Mixed simulation: shares of the arrival rate.
  public static final double MIXED_STORM_SHARE = num("mixed.stormShare", 0.05);
  public static final double MIXED_MERCHANT_SHARE = num("mixed.merchantShare", 0.05);

  // Assertions (always set; SREs tighten or loosen them per deployment).
  public static final double ASSERT_P99_MS = num("assert.p99Ms", 30);
  public static final double ASSERT_MAX_FAILED_PERCENT = num("assert.maxFailedPercent", 0.1);
  public static final double ASSERT_MERCHANT_P99_MS = num("assert.merchantP99Ms", 20);

  public static String str(String name, String dflt) {
    String v = System.getProperty("tinko.lt." + name);
    return v == null || v.isBlank() ? dflt : v.trim();
  }

  public static double num(String name, double dflt) {
    String v = str(name, null);
    return v == null ? dflt : Double.parseDouble(v);
  }

  /** The injection profiles; what each does is in {@link Profiles}. */
  public enum Profile {
    SMOKE(100, 15), RAMP(3000, 60), STEADY(3000, 60), SPIKE(3000, 60), SOAK(1000, 1800);

    final double defaultRate;
    final int defaultDurationSeconds;

    Profile(double rate, int seconds) {
      this.defaultRate = rate;
      this.defaultDurationSeconds = seconds;
    }

    static Profile parse(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }
}
