package io.tinko.gateway.api.perf;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client-side latency of GET /v1/transactions (first page of 50 with a filter): signs in once, warms up, then sends
 * {@code n} requests from {@code concurrency} closed-loop clients, cycling through the filters below, and prints
 * p50/p90/p99/max. A cross-check of the Gatling figure that puts little load of its own on a shared 2-core machine.
 *
 * <pre>
 * java gateway/src/test/java/io/tinko/gateway/api/perf/ListLatencyProbe.java http://127.0.0.1:8080 \
 *   merchant@example.com 'password' [n=5000] [concurrency=4]
 * </pre>
 */
public final class ListLatencyProbe {
  private static final String[] FILTERS = {"status=failed", "status=retrying", "status=recovered",
      "status=action_required", "psp=stripe", "psp=razorpay", "declineClass=RETRY_LATER", "declineClass=TECHNICAL"};

  private ListLatencyProbe() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    int n = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
    int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + args[1] + "\",\"password\":\"" + args[2] + "\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("\"accessToken\":\"([^\"]+)\"").matcher(login.body());
    if (login.statusCode() != 200 || !m.find()) {
      throw new IllegalStateException("login answered " + login.statusCode() + ": " + login.body());
    }
    String token = m.group(1);
    run(http, base, token, Math.min(2000, n), concurrency); // warm-up: JIT, prepared statements, caches
    long[] nanos = run(http, base, token, n, concurrency);
    Arrays.sort(nanos);
    System.out.printf("GET /v1/transactions?<filter>&limit=50: n=%d concurrency=%d p50=%.2f ms p90=%.2f ms "
            + "p99=%.2f ms max=%.2f ms%n", n, concurrency, pct(nanos, 50), pct(nanos, 90), pct(nanos, 99),
        nanos[nanos.length - 1] / 1e6);
  }

  private static long[] run(HttpClient http, String base, String token, int n, int concurrency) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<long[]>> parts = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      int client = c;
      parts.add(pool.submit(() -> {
        long[] out = new long[n / concurrency];
        for (int i = 0; i < out.length; i++) {
          String filter = FILTERS[(i * concurrency + client) % FILTERS.length];
          HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/transactions?" + filter + "&limit=50"))
              .header("Authorization", "Bearer " + token).GET().build();
          long t0 = System.nanoTime();
          HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
          out[i] = System.nanoTime() - t0;
          if (r.statusCode() != 200 || !r.body().contains("\"items\"")) {
            throw new IllegalStateException(filter + " answered " + r.statusCode() + ": " + r.body());
          }
        }
        return out;
      }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<long[]> f : parts) {
      for (long v : f.get()) {
        all.add(v);
      }
    }
    pool.shutdown();
    return all.stream().mapToLong(Long::longValue).toArray();
  }

  private static double pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
  }
}
