package io.tinko.loadtests.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The merchant's dashboard session, filter values for its visits, and the one-off registration of the load-test
 * merchant.
 */
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
   * The dashboard's session: one login (POST /v1/auth/login) when the first visit starts, then the access token is
   * reused across visits and renewed with the refresh token (POST /v1/auth/refresh, rotated on use) two minutes
   * before it expires, as a dashboard keeps its user signed in. A login per visit would put one Argon2id hash (tens of
   * ms of CPU by design) beside every few list requests, which no dashboard or API integration does.
   */
  public static final class Session {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String accessToken;
    private String refreshToken;
    private long renewAtMillis;
    private int logins;
    private int refreshes;

    /** The current access token: logs in the first time, refreshes when it is about to expire. */
    public synchronized String accessToken() {
      if (accessToken == null) {
        take(post("/v1/auth/login", "{\"email\":\"" + Params.MERCHANT_EMAIL + "\",\"password\":\""
            + Params.MERCHANT_PASSWORD + "\"}"));
        logins++;
      } else if (System.currentTimeMillis() >= renewAtMillis) {
        take(post("/v1/auth/refresh", "{\"refreshToken\":\"" + refreshToken + "\"}"));
        refreshes++;
      }
      return accessToken;
    }

    public synchronized String describe() {
      return logins + " login(s), " + refreshes + " refresh(es)";
    }

    private void take(JsonNode tokens) {
      accessToken = tokens.path("accessToken").asText();
      refreshToken = tokens.path("refreshToken").asText();
      long ttl = tokens.path("expiresIn").asLong(900);
      renewAtMillis = System.currentTimeMillis() + Math.max(ttl - 120, ttl / 2) * 1000;
    }

    private static JsonNode post(String path, String body) {
      try {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(Params.BASE_URL + path))
            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
      } catch (java.io.IOException e) {
        throw new IllegalStateException("POST " + path + " at " + Params.BASE_URL + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Visits: the session's access token and a visit number; counts the visits and their requests and remembers when
   * the first visit started (the measured window bench reports CPU over).
   */
  public static final class Visits implements Iterator<Map<String, Object>> {
    private final AtomicLong fed = new AtomicLong();
    private final LongAdder requests = new LongAdder();
    private volatile long firstFeedMillis;
    private final Session session;

    public Visits(Session session) {
      this.session = session;
    }

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
      return Map.of("token", session.accessToken(), "visit", (int) n);
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
