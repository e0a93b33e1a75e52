package io.tinko.gateway.webhook.verify;

import io.tinko.common.domain.Psp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * PayPal, verified offline: the signed message is {@code transmissionId|transmissionTime|webhookId|crc32(body)}
 * (CRC32 as unsigned decimal), the signature an RSA signature by the certificate named in {@code PAYPAL-CERT-URL}.
 *
 * <p>Verdicts, cheapest check first:
 * <ul>
 *   <li>MISSING: any of the five headers absent.</li>
 *   <li>MALFORMED: an algorithm outside {@link #ALGORITHMS} (no SHA-1, no unhashed RSA), a transmission time that is
 *   not ISO-8601 with an offset, a signature that is not base64, a certificate URL that is not https on an
 *   allow-listed host (refused before anything is fetched).</li>
 *   <li>EXPIRED: the transmission time outside the tolerance, either side.</li>
 *   <li>MISMATCH: the signature does not verify; also when the endpoint has no PayPal webhook id configured, when the
 *   certificate could not be fetched, does not chain to the trust store, or is not valid at {@code now}: in each
 *   case nothing shows that PayPal signed this body. PayPal retries for days, so a passing fetch problem costs a
 *   delay, not the event.</li>
 * </ul>
 */
public final class PaypalScheme implements WebhookScheme {
  public static final String TRANSMISSION_ID = "PAYPAL-TRANSMISSION-ID";
  public static final String TRANSMISSION_TIME = "PAYPAL-TRANSMISSION-TIME";
  public static final String TRANSMISSION_SIG = "PAYPAL-TRANSMISSION-SIG";
  public static final String CERT_URL = "PAYPAL-CERT-URL";
  public static final String AUTH_ALGO = "PAYPAL-AUTH-ALGO";
  /** {@code PAYPAL-AUTH-ALGO} values accepted; PayPal uses SHA256withRSA. Names are the JCA's, matched exactly. */
  public static final Set<String> ALGORITHMS = Set.of("SHA256withRSA", "SHA384withRSA", "SHA512withRSA");

  private final PaypalCertificateCache certificates;
  private final long toleranceSeconds;
  private final CRC32 crc = new CRC32();
  private final Map<String, Signature> verifiers = new HashMap<>();

  /**
   * @param certificates     the process's shared certificate cache
   * @param toleranceSeconds {@code webhooks.paypalToleranceSeconds}
   */
  public PaypalScheme(PaypalCertificateCache certificates, long toleranceSeconds) {
    this.certificates = certificates;
    this.toleranceSeconds = Verdicts.requirePositive(toleranceSeconds);
  }

  @Override
  public Psp psp() {
    return Psp.PAYPAL;
  }

  @Override
  public Future<Verdict> verify(byte[] body, MultiMap headers, List<String> secrets, String webhookId,
                                long nowEpochSeconds) {
    String id = headers.get(TRANSMISSION_ID);
    String time = headers.get(TRANSMISSION_TIME);
    String sig = headers.get(TRANSMISSION_SIG);
    String certUrl = headers.get(CERT_URL);
    String algo = headers.get(AUTH_ALGO);
    if (id == null || time == null || sig == null || certUrl == null || algo == null) {
      return Verdicts.of(Verdict.MISSING);
    }
    if (!ALGORITHMS.contains(algo)) {
      return Verdicts.of(Verdict.MALFORMED);
    }
    long sentAt;
    byte[] signature;
    try {
      sentAt = OffsetDateTime.parse(time, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toEpochSecond();
      signature = Base64.getDecoder().decode(sig);
    } catch (DateTimeParseException | IllegalArgumentException e) {
      return Verdicts.of(Verdict.MALFORMED);
    }
    if (signature.length == 0 || id.isEmpty() || !certificates.allows(certUrl)) {
      return Verdicts.of(Verdict.MALFORMED);
    }
    if (Verdicts.outsideTolerance(sentAt, nowEpochSeconds, toleranceSeconds)) {
      return Verdicts.of(Verdict.EXPIRED);
    }
    if (webhookId == null || webhookId.isEmpty()) {
      return Verdicts.of(Verdict.MISMATCH);
    }
    crc.reset();
    crc.update(body);
    // the transmission time is signed as sent, not as parsed
    byte[] message = (id + '|' + time + '|' + webhookId + '|' + crc.getValue()).getBytes(StandardCharsets.UTF_8);
    Date at = new Date(nowEpochSeconds * 1000);
    return certificates.chain(certUrl)
        .transform((chain, err) -> Verdicts.of(err == null && verifies(chain, at, algo, message, signature)
            ? Verdict.VALID : Verdict.MISMATCH));
  }

  private boolean verifies(List<X509Certificate> chain, Date at, String algo, byte[] message, byte[] signature) {
    try {
      for (X509Certificate c : chain) {
        c.checkValidity(at);
      }
      Signature verifier = verifier(algo);
      verifier.initVerify(chain.get(0));
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // expired or not-yet-valid certificate, a key that is not RSA, a signature of the wrong length
      return false;
    }
  }

  private Signature verifier(String algo) throws NoSuchAlgorithmException {
    Signature s = verifiers.get(algo);
    if (s == null) {
      s = Signature.getInstance(algo);
      verifiers.put(algo, s);
    }
    return s;
  }

  @Override
  public EventIdentity identify(byte[] body, MultiMap headers) throws BadPayloadException {
    return JsonFields.identity(body, "id", "event_type");
  }

  @Override
  public List<String> signatureHeaders() {
    return List.of(TRANSMISSION_ID, TRANSMISSION_TIME, TRANSMISSION_SIG, CERT_URL, AUTH_ALGO);
  }
}
