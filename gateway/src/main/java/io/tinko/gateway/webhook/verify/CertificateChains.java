package io.tinko.gateway.webhook.verify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** PEM parsing and PKIX validation for PayPal's signing certificates. */
public final class CertificateChains {
  private CertificateChains() {
  }

  /**
   * The CA certificates that must anchor a PayPal signing certificate ({@code webhooks.paypal.trustStore}).
   * Reads a file, so call it at start-up, not on an event loop.
   *
   * @param pemPath a PEM file of CA certificates; null or empty for the JVM's default trust store
   */
  public static Set<TrustAnchor> loadTrustAnchors(String pemPath) throws IOException, GeneralSecurityException {
    Set<TrustAnchor> anchors = new HashSet<>();
    if (pemPath == null || pemPath.isBlank()) {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((KeyStore) null);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x509) {
          for (X509Certificate ca : x509.getAcceptedIssuers()) {
            anchors.add(new TrustAnchor(ca, null));
          }
        }
      }
    } else {
      for (X509Certificate ca : parsePem(Files.readAllBytes(Path.of(pemPath)))) {
        anchors.add(new TrustAnchor(ca, null));
      }
    }
    if (anchors.isEmpty()) {
      throw new CertificateException("no CA certificates in " + (pemPath == null || pemPath.isBlank()
          ? "the JVM's default trust store" : pemPath));
    }
    return Set.copyOf(anchors);
  }

  /** Every certificate of a PEM (or DER) document, in order; fails when there is none. */
  static List<X509Certificate> parsePem(byte[] pem) throws CertificateException {
    List<X509Certificate> certs = new ArrayList<>();
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    for (var c : cf.generateCertificates(new ByteArrayInputStream(pem))) {
      certs.add((X509Certificate) c);
    }
    if (certs.isEmpty()) {
      throw new CertificateException("no certificate in the document");
    }
    return certs;
  }

  /**
   * Checks that {@code chain} (leaf first, intermediates after) leads to one of {@code anchors} and that every
   * certificate is valid at {@code at}; revocation is not checked (it would need more network calls on the
   * ingestion path; the cache's expiry bounds how long a certificate is trusted).
   *
   * @return the chain without self-signed roots, which servers often append and which PKIX wants as anchors only
   */
  static List<X509Certificate> validate(List<X509Certificate> chain, Set<TrustAnchor> anchors, Date at)
      throws GeneralSecurityException {
    List<X509Certificate> path = new ArrayList<>(chain.size());
    path.add(chain.get(0));
    for (X509Certificate c : chain.subList(1, chain.size())) {
      if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
        path.add(c);
      }
    }
    PKIXParameters params = new PKIXParameters(anchors);
    params.setRevocationEnabled(false);
    params.setDate(at);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    return List.copyOf(path);
  }
}
