package io.tinko.gateway.api;

import io.vertx.core.http.HttpMethod;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which (method, path) pairs the suite sent and what they answered, for the check that every operation of the
 * OpenAPI document was exercised. Test-only state, shared by the test classes of one JVM.
 */
public final class Coverage {
  /** "GET /v1/transactions/0190... 200" */
  private static final Set<String> HITS = ConcurrentHashMap.newKeySet();

  private Coverage() {}

  static void hit(HttpMethod method, String path, int status) {
    int q = path.indexOf('?');
    HITS.add(method.name() + " " + (q < 0 ? path : path.substring(0, q)) + " " + status);
  }

  /** True when a request matching the templated path (e.g. /v1/transactions/{id}) answered a 2xx. */
  static boolean succeeded(String method, String template) {
    String regex = method + " " + template.replaceAll("\\{[A-Za-z]+}", "[^/]+") + " 2\\d\\d";
    return HITS.stream().anyMatch(h -> h.matches(regex));
  }
}
