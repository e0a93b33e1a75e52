package io.tinko.gateway.webhook.verify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTPS server standing in for PayPal's certificate host: serves PEM documents by path on 127.0.0.1 with its
 * own TLS certificate and counts the requests per path.
 */
final class FakeCertServer {
  static final String SLOW_PREFIX = "/slow";
  static final long SLOW_MILLIS = 400;

  private final Map<String, String> documents = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final TestPki.Issued tlsCa = TestPki.rootCa("CN=Fake TLS CA");
  private HttpServer server;

  Future<FakeCertServer> start(Vertx vertx) {
    TestPki.Issued tls = TestPki.tlsServer(tlsCa);
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertValue(Buffer.buffer(tls.certPem())).setKeyValue(Buffer.buffer(tls.keyPem())));
    return vertx.createHttpServer(options)
        .requestHandler(req -> {
          String path = req.path();
          hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          if (path.equals("/redirect")) {
            req.response().setStatusCode(302).putHeader("Location", "/certs/good").end();
            return;
          }
          String doc = documents.get(path);
          if (doc == null) {
            req.response().setStatusCode(404).end("no such certificate");
          } else if (path.startsWith(SLOW_PREFIX)) {
            vertx.setTimer(SLOW_MILLIS, t -> req.response().putHeader("Content-Type", "application/x-pem-file").end(doc));
          } else {
            req.response().putHeader("Content-Type", "application/x-pem-file").end(doc);
          }
        })
        .listen(0, "127.0.0.1")
        .map(s -> {
          server = s;
          return this;
        });
  }

  void serve(String path, String pem) {
    documents.put(path, pem);
  }

  int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  int totalHits() {
    return hits.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  void resetHits() {
    hits.clear();
  }

  int port() {
    return server.actualPort();
  }

  String url(String host, String path) {
    return "https://" + host + ":" + server.actualPort() + path;
  }

  /** What the certificate client must trust to talk to this server. */
  TrustOptions clientTrust() {
    return new PemTrustOptions().addCertValue(Buffer.buffer(tlsCa.certPem()));
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
