import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Server-side latency of the analytics endpoints, as a client with one persistent connection sees it: sequential
 * requests over one keep-alive HTTP/1.1 connection (no process start, no TCP handshake per call, unlike a curl per
 * call), warm-up rounds over all the endpoints, then each endpoint in turn, with exact percentiles from the sorted
 * samples (nearest rank, no histogram buckets).
 *
 * <p>Run with the JDK's source launcher, no build needed:
 * {@code java analytics-batch/bench/Latency.java http://localhost:18790 <api key> <requests> <warm-up rounds>
 * name=/path ...}. Prints one line per endpoint; writes each endpoint's raw samples (microseconds) to
 * {@code $LATENCY_DIR/lat-<name>.txt} when LATENCY_DIR is set.
 */
public final class Latency {
  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: Latency <base url> <api key> <requests> <warm-up rounds> name=/path ...");
      System.exit(2);
    }
    String base = args[0];
    String key = args[1];
    int requests = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    String dir = System.getenv("LATENCY_DIR");
    // one client, HTTP/1.1, one request at a time: every call reuses the same kept-alive connection
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    int n = args.length - 4;
    String[] names = new String[n];
    HttpRequest[] requestsOf = new HttpRequest[n];
    for (int i = 0; i < n; i++) {
      String arg = args[i + 4];
      names[i] = arg.substring(0, arg.indexOf('='));
      requestsOf[i] = HttpRequest.newBuilder(URI.create(base + arg.substring(arg.indexOf('=') + 1)))
          .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).GET().build();
    }
    // warm-up rounds over every endpoint before any is measured: the server's and this client's JIT compile the
    // paths of all of them first (measured one after the other, a later endpoint's tail held the compilation of its
    // own code, and the first minute of a fresh server the compilation of the common path)
    long warmStart = System.nanoTime();
    for (int w = 0; w < warmup; w++) {
      for (HttpRequest request : requestsOf) {
        call(client, request);
      }
    }
    System.out.println(String.format(Locale.ROOT, "warm-up: %d rounds over %d endpoints in %.1f s; load average %s",
        warmup, n, (System.nanoTime() - warmStart) / 1e9, load()));
    for (int i = 0; i < n; i++) {
      String name = names[i];
      HttpRequest request = requestsOf[i];
      long[] micros = new long[requests];
      int bad = 0;
      long bytes = 0;
      for (int r = 0; r < requests; r++) {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> resp = call(client, request);
        micros[r] = (System.nanoTime() - t0) / 1_000;
        bad += resp.statusCode() == 200 ? 0 : 1;
        bytes += resp.body().length;
      }
      if (dir != null) {
        StringBuilder b = new StringBuilder();
        for (long m : micros) {
          b.append(m).append('\n');
        }
        Files.writeString(Path.of(dir, "lat-" + name + ".txt"), b);
      }
      long[] sorted = micros.clone();
      Arrays.sort(sorted);
      System.out.println(String.format(Locale.ROOT,
          "%-26s p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (%d calls, %d not 200, %,d bytes each;"
              + " load average %s)", name, at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99),
          sorted[sorted.length - 1] / 1000.0, requests, bad, bytes / requests, load()));
    }
  }

  private static HttpResponse<byte[]> call(HttpClient client, HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Nearest-rank percentile: the smallest sample with at least fraction of the samples at or below it. */
  private static double at(long[] sorted, double fraction) {
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1000.0;
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }
}
