package io.tinko.loadtests.config;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;

/** The HTTP protocol every simulation uses. */
public final class Protocols {
  private Protocols() {}

  /**
   * Connections are shared by all virtual users (an open model with one request per user would otherwise open a
   * TCP connection per request, which measures the kernel, not Tinko). No warm-up request (Gatling's default goes to
   * an outside host), no cache, no automatic referer. The shared pool is not bounded: against a saturated target the
   * open model opens a connection per waiting request, up to the generator's file-descriptor limit ("Too many open
   * files" errors in the report). maxConnectionsPerHost did not bound the shared pool in Gatling 3.15 in our runs.
   */
  public static HttpProtocolBuilder http() {
    return http.baseUrl(Params.BASE_URL)
        .shareConnections()
        .disableWarmUp()
        .disableCaching()
        .disableAutoReferer()
        .userAgentHeader("tinko-load-tests");
  }
}
