package io.tinko.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * PayPal's webhook delivery as a receiver must verify it offline: the body signed with SHA256withRSA over
 * {@code transmissionId|transmissionTime|webhookId|crc32(body)} by a certificate served over HTTPS at
 * {@code PAYPAL-CERT-URL}. Here the certificate host is a local HTTPS server on 127.0.0.1 with a certificate of the
 * fake's own CA ({@link FakePki}); {@link #caPem()} is what a gateway must trust to accept these webhooks.
 */
final class FakePaypalWebhooks {
  static final String CERT_PATH = "/v1/notifications/certs/CERT-360caa42-fca2a594-fake";

  private final Vertx vertx;
  private final FakePki pki = new FakePki();
  private HttpServer certHost;
  private volatile String url;
  private volatile String webhookId;

  FakePaypalWebhooks(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> start() {
    String chain = FakePki.pem(pki.signing.cert(), pki.ca.cert());
    HttpServerOptions tls = new HttpServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertValue(Buffer.buffer(pki.tls.certPem())).setKeyValue(Buffer.buffer(pki.tls.keyPem())));
    return vertx.createHttpServer(tls).requestHandler(req -> {
      if (CERT_PATH.equals(req.path())) {
        req.response().putHeader("Content-Type", "application/x-pem-file").end(chain);
      } else {
        req.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1").map(s -> {
      certHost = s;
      return null;
    });
  }

  Future<Void> close() {
    return certHost == null ? Future.succeededFuture() : certHost.close();
  }

  String caPem() {
    return pki.ca.certPem();
  }

  String certUrl() {
    return "https://127.0.0.1:" + certHost.actualPort() + CERT_PATH;
  }

  void target(String url, String webhookId) {
    this.url = url;
    this.webhookId = webhookId;
  }

  /** Posts one event (id WH-..., create_time now) of this type about this resource; nothing when no target is set. */
  Future<Void> send(String eventType, String resourceType, JsonObject resource, String summary) {
    String target = url;
    if (target == null) {
      return Future.succeededFuture();
    }
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    String body = new JsonObject().put("id", "WH-" + UUID.randomUUID().toString().replace("-", "").substring(0, 17)
            .toUpperCase()).put("event_version", "1.0").put("create_time", now).put("resource_type", resourceType)
        .put("resource_version", "2.0").put("event_type", eventType).put("summary", summary).put("resource", resource)
        .encode();
    String transmissionId = UUID.randomUUID().toString();
    String time = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC)
        .truncatedTo(ChronoUnit.SECONDS));
    byte[] raw = body.getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(raw);
    String signature;
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(pki.signing.keys().getPrivate());
      s.update((transmissionId + "|" + time + "|" + webhookId + "|" + crc.getValue())
          .getBytes(StandardCharsets.UTF_8));
      signature = Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      return Future.failedFuture(e);
    }
    HttpClient client = vertx.createHttpClient();
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target))
        .compose(req -> req.putHeader("Content-Type", "application/json")
            .putHeader("PAYPAL-TRANSMISSION-ID", transmissionId).putHeader("PAYPAL-TRANSMISSION-TIME", time)
            .putHeader("PAYPAL-TRANSMISSION-SIG", signature).putHeader("PAYPAL-CERT-URL", certUrl())
            .putHeader("PAYPAL-AUTH-ALGO", "SHA256withRSA").send(Buffer.buffer(raw)))
        .compose(r -> r.body().<Void>mapEmpty())
        .onComplete(ar -> client.close());
  }
}
