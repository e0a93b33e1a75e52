package io.tinko.loadtests.bench;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Stands in for PayPal's certificate host in a load test, so PayPal deliveries can be verified offline as in
 * production: issues a throw-away CA, a PayPal-like signing certificate and a TLS certificate for the host, and serves
 * the signing certificate (leaf + CA, as PayPal serves a chain) over HTTPS until it is stopped (SIGTERM: bench stops
 * it by PID).
 *
 * <p>{@code PaypalCertServer --dir D [--host 127.0.0.1] [--bind 127.0.0.1]} writes into D:
 * <ul>
 *   <li>{@code ca.pem}: the CA, for the gateway's {@code webhooks.paypal.trustStore};</li>
 *   <li>{@code tls-trust.p12} (password {@value #TRUST_PASSWORD}): the same CA as a PKCS#12 trust store for the
 *   gateway JVM ({@code -Djavax.net.ssl.trustStore}), which fetches the certificate over TLS with the JVM's trust;</li>
 *   <li>{@code signing-key.pem}: the signing key (PKCS#8), for the feeder ({@code tinko.lt.paypal.keyFile});</li>
 *   <li>{@code cert-url}: the PAYPAL-CERT-URL to send ({@code tinko.lt.paypal.certUrl}), written last, once the
 *   server listens — its presence means ready.</li>
 * </ul>
 * Keys are RSA 2048 like PayPal's; nothing here is secret beyond the run.
 */
public final class PaypalCertServer {
  public static final String TRUST_PASSWORD = "loadtest";

  private PaypalCertServer() {}

  public static void main(String[] args) throws Exception {
    Path dir = null;
    String host = "127.0.0.1";
    String bind = "127.0.0.1";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[++i]);
        case "--host" -> host = args[++i];
        case "--bind" -> bind = args[++i];
        default -> throw new IllegalArgumentException("usage: PaypalCertServer --dir D [--host H] [--bind A]");
      }
    }
    if (dir == null) {
      throw new IllegalArgumentException("usage: PaypalCertServer --dir D [--host H] [--bind A]");
    }
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve("cert-url"));

    KeyPair caKeys = rsa();
    X509Certificate ca = issue("CN=Tinko Load Test PayPal CA,O=Tinko load tests", caKeys, null, caKeys, true, null);
    KeyPair signingKeys = rsa();
    X509Certificate signing = issue("CN=messageverificationcerts.loadtest.tinko.local,O=Tinko load tests",
        signingKeys, ca, caKeys, false, null);
    KeyPair tlsKeys = rsa();
    boolean ip = host.matches("[0-9.]+|.*:.*");
    X509Certificate tls = issue("CN=" + host, tlsKeys, ca, caKeys, false, new GeneralNames(
        new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host)));

    write(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
    write(dir.resolve("signing-key.pem"), pem("PRIVATE KEY", signingKeys.getPrivate().getEncoded()));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("tinko-lt-paypal-ca", ca);
    try (OutputStream out = Files.newOutputStream(dir.resolve("tls-trust.p12"))) {
      trust.store(out, TRUST_PASSWORD.toCharArray());
    }

    // a path shaped like PayPal's: /v1/notifications/certs/CERT-360caa42-fca2a594-...
    String path = "/v1/notifications/certs/CERT-" + HexFormat.of().formatHex(randomBytes(4)) + "-"
        + HexFormat.of().formatHex(randomBytes(4)) + "-loadtest";
    byte[] document = (pem("CERTIFICATE", signing.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()))
        .getBytes(StandardCharsets.US_ASCII);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(bind, 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(tlsContext(tls, tlsKeys, ca)));
    server.createContext("/", exchange -> {
      try (exchange) {
        boolean found = exchange.getRequestURI().getPath().equals(path);
        System.out.println("paypal-cert-server: " + exchange.getRequestMethod() + " " + exchange.getRequestURI()
            + " -> " + (found ? 200 : 404));
        byte[] answer = found ? document : "no such certificate".getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().set("Content-Type", found ? "application/x-pem-file" : "text/plain");
        exchange.sendResponseHeaders(found ? 200 : 404, answer.length);
        exchange.getResponseBody().write(answer);
      }
    });
    server.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop(0);
      stopped.countDown();
    }, "paypal-cert-server-stop"));

    String url = "https://" + (ip && host.contains(":") ? "[" + host + "]" : host) + ":"
        + server.getAddress().getPort() + path;
    write(dir.resolve("cert-url"), url + "\n");
    System.out.println("paypal-cert-server: serving the signing certificate at " + url + " (CA " + dir.resolve("ca.pem")
        + ")");
    stopped.await();
  }

  private static SSLContext tlsContext(X509Certificate tls, KeyPair keys, X509Certificate ca) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] pw = TRUST_PASSWORD.toCharArray();
    ks.setKeyEntry("tls", keys.getPrivate(), pw, new Certificate[] {tls, ca});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private static X509Certificate issue(String subject, KeyPair subjectKeys, X509Certificate issuer, KeyPair issuerKeys,
                                       boolean ca, GeneralNames san) throws Exception {
    Instant now = Instant.now();
    X500Name issuerName = issuer == null ? new X500Name(subject)
        : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(64, ThreadLocalRandom.current()),
        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject),
        subjectKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(ca
        ? KeyUsage.keyCertSign | KeyUsage.cRLSign
        : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    if (san != null) {
      b.addExtension(Extension.subjectAlternativeName, false, san);
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    }
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** Written whole or not at all: bench polls for these files. */
  private static void write(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
