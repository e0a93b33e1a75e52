package io.tinko.loadtests.config;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;

/** The HTTP protocol every simulation uses. */
public final class Protocols {
  private Protocols() {}

  /**
   * Connections are shared by all virtual users (an open model with one request per user would otherwise open a
   * TCP connection per request, which measures the kernel, not Tinko). No warm-up request (Gatling's default goes to
   * an outside host), no cache, no automatic referer. Connections are capped ({@code tinko.lt.maxConnections},
   * default 1000): an open model against a saturated server otherwise opens one per waiting request until the
   * generator runs out of file descriptors; past the cap, requests wait in Gatling and that wait is counted.
   */
  public static HttpProtocolBuilder http() {
    return http.baseUrl(Params.BASE_URL)
        .shareConnections()
        .maxConnectionsPerHost(Params.MAX_CONNECTIONS)
        .disableWarmUp()
        .disableCaching()
        .disableAutoReferer()
        .userAgentHeader("tinko-load-tests");
  }
}
