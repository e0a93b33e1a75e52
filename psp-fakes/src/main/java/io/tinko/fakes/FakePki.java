package io.tinko.fakes;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The fake PayPal's throw-away PKI: one CA per fake, which issues the webhook-signing certificate (what
 * {@code PAYPAL-CERT-URL} serves) and the TLS certificate of the certificate host on 127.0.0.1. A gateway that should
 * accept the fake's webhooks trusts this CA ({@code webhooks.paypal.trustStore} and
 * {@code webhooks.paypal.fetchTrustStore}) and allows the host 127.0.0.1.
 */
final class FakePki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  record Issued(X509Certificate cert, KeyPair keys) {
    String certPem() {
      return pem(cert);
    }

    String keyPem() {
      return pem(keys.getPrivate());
    }
  }

  final Issued ca;
  final Issued signing;
  final Issued tls;

  FakePki() {
    KeyPair caKeys = rsa();
    String caName = "CN=Tinko Fake PayPal CA " + SERIAL.incrementAndGet();
    this.ca = new Issued(build(caName, caKeys, caName, caKeys, true, null), caKeys);
    KeyPair signingKeys = rsa();
    this.signing = new Issued(build("CN=messageverificationcerts.fake.paypal.test", signingKeys, caName,
        caKeys, false, null), signingKeys);
    KeyPair tlsKeys = rsa();
    GeneralNames san = new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")});
    this.tls = new Issued(build("CN=localhost", tlsKeys, caName, caKeys, false, san), tlsKeys);
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        w.writeObject(o);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  private static X509Certificate build(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                       boolean ca, GeneralNames san) {
    try {
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(Instant.now().minus(Duration.ofDays(1))),
          Date.from(Instant.now().plus(Duration.ofDays(ca ? 365 : 90))), new X500Name(subject),
          subjectKeys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
          : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      if (san != null) {
        b.addExtension(Extension.subjectAlternativeName, false, san);
      }
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue " + subject, e);
    }
  }
}
