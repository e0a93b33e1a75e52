package io.tinko.loadtests.config;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Credentials and filter values for merchant visits, and the one-off registration of the load-test merchant. */
public final class MerchantFeeder {
  private static final String[] STATUSES = {"failed", "retrying", "recovered", "action_required"};
  private static final String[] PSPS = {"stripe", "razorpay", "standard"};
  private static final String[] CLASSES = {"RETRY_LATER", "TECHNICAL", "FIX_DATA", "AUTH_REQUIRED"};

  private MerchantFeeder() {}

  /** The filter values of one page of a visit: they rotate, so every value is read about as often. */
  public static Map<String, Object> filters(int n) {
    return Map.of("status", STATUSES[n % STATUSES.length], "psp", PSPS[n % PSPS.length],
        "declineClass", CLASSES[n % CLASSES.length]);
  }

  /**
   * Visits: the merchant's credentials and a visit number; counts the visits and their requests and remembers when
   * the first visit started (the measured window bench reports CPU over).
   */
  public static final class Visits implements Iterator<Map<String, Object>> {
    private final AtomicLong fed = new AtomicLong();
    private final LongAdder requests = new LongAdder();
    private volatile long firstFeedMillis;

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public Map<String, Object> next() {
      long n = fed.getAndIncrement();
      if (n == 0) {
        firstFeedMillis = System.currentTimeMillis();
      }
      return Map.of("email", Params.MERCHANT_EMAIL, "password", Params.MERCHANT_PASSWORD, "visit", (int) n);
    }

    public void requestSent() {
      requests.increment();
    }

    public long requests() {
      return requests.sum();
    }

    public long firstFeedMillis() {
      return firstFeedMillis;
    }
  }

  /**
   * Registers the load-test merchant (POST /v1/auth/register) unless tinko.lt.merchant.register=false, and fails
   * the run with a clear message if the merchant API is not there (issue 5 not built): no results are made up.
   */
  public static void registerMerchant() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String body = "{\"organization\":\"Load test " + Params.RUN_ID + "\",\"email\":\"" + Params.MERCHANT_EMAIL
        + "\",\"password\":\"" + Params.MERCHANT_PASSWORD + "\"}";
    String path = Params.MERCHANT_REGISTER ? "/v1/auth/register" : "/v1/auth/login";
    String payload = Params.MERCHANT_REGISTER ? body
        : "{\"email\":\"" + Params.MERCHANT_EMAIL + "\",\"password\":\"" + Params.MERCHANT_PASSWORD + "\"}";
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(Params.BASE_URL + path))
          .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 404 || r.statusCode() == 405) {
        throw new IllegalStateException("the merchant API is not available at " + Params.BASE_URL + " (POST " + path
            + " answered " + r.statusCode() + "): MerchantApiSimulation cannot run until issue 5 is built");
      }
      if (r.statusCode() >= 300 && !(Params.MERCHANT_REGISTER && r.statusCode() == 409)) {
        throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot reach " + Params.BASE_URL + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
