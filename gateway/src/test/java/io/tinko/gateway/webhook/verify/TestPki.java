package io.tinko.gateway.webhook.verify;

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

/** A throw-away PKI for the PayPal tests: CAs, signing certificates and a TLS server certificate. */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A certificate with its private key. */
  record Issued(X509Certificate cert, KeyPair keys) {
    String certPem() {
      return pem(cert);
    }

    String keyPem() {
      return pem(keys.getPrivate());
    }
  }

  private TestPki() {
  }

  static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static Issued rootCa(String name) {
    KeyPair keys = rsa();
    return new Issued(build(name, keys, name, keys, true, Instant.now().minus(Duration.ofDays(1)),
        Instant.now().plus(Duration.ofDays(365)), null), keys);
  }

  static Issued intermediateCa(String name, Issued issuer) {
    KeyPair keys = rsa();
    return new Issued(build(name, keys, subject(issuer), issuer.keys(), true, Instant.now().minus(Duration.ofDays(1)),
        Instant.now().plus(Duration.ofDays(365)), null), keys);
  }

  /** A signing certificate like PayPal's, valid in [notBefore, notAfter]. */
  static Issued leaf(String name, Issued issuer, Instant notBefore, Instant notAfter) {
    KeyPair keys = rsa();
    return new Issued(build(name, keys, subject(issuer), issuer.keys(), false, notBefore, notAfter, null), keys);
  }

  static Issued leaf(String name, Issued issuer) {
    return leaf(name, issuer, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
  }

  /** A TLS server certificate for 127.0.0.1 and localhost. */
  static Issued tlsServer(Issued issuer) {
    KeyPair keys = rsa();
    GeneralNames san = new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")});
    return new Issued(build("CN=localhost", keys, subject(issuer), issuer.keys(), false,
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), san), keys);
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

  private static String subject(Issued issuer) {
    return issuer.cert().getSubjectX500Principal().getName();
  }

  private static X509Certificate build(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                       boolean ca, Instant notBefore, Instant notAfter, GeneralNames san) {
    try {
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
          new X500Name(subject), subjectKeys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(ca
          ? KeyUsage.keyCertSign | KeyUsage.cRLSign
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
