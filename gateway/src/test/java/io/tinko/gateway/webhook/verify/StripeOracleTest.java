package io.tinko.gateway.webhook.verify;

import static io.tinko.gateway.webhook.verify.Fixtures.NOW;
import static io.tinko.gateway.webhook.verify.Fixtures.STRIPE_BODY;
import static io.tinko.gateway.webhook.verify.Fixtures.done;
import static io.tinko.gateway.webhook.verify.Fixtures.headers;
import static io.tinko.gateway.webhook.verify.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our verdicts against stripe-java's {@code Webhook.constructEvent} on the same inputs. */
@DisplayName("Stripe scheme agrees with stripe-java")
class StripeOracleTest {
  private static final String SECRET = "whsec_test_5f2b9c0e1d8a7b6c";
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

  private final StripeScheme scheme = new StripeScheme(Webhook.DEFAULT_TOLERANCE);

  private static boolean stripeAccepts(String payload, String header, String secret) {
    try {
      Event event = Webhook.constructEvent(payload, header, secret, Webhook.DEFAULT_TOLERANCE, CLOCK);
      return event != null;
    } catch (SignatureVerificationException | RuntimeException e) {
      // stripe-java throws unchecked exceptions for some unparsable headers; that is a rejection too
      return false;
    }
  }

  private boolean weAccept(String payload, String header, String secret) {
    return done(scheme.verify(utf8(payload), headers("Stripe-Signature", header), List.of(secret), null, NOW))
        == Verdict.VALID;
  }

  static Stream<Arguments> cases() throws Exception {
    String body = STRIPE_BODY;
    String unicode = "{\"id\":\"evt_ü\",\"object\":\"event\",\"type\":\"charge.failed\",\"data\":{\"object\":"
        + "{\"description\":\"Café 東京 \\ud83d\\ude00 😀\"}}}";
    String theirs = Webhook.Signature.generateSignatureHeader(body, SECRET, NOW);
    String sig = theirs.substring(theirs.indexOf("v1=") + 3);
    String ours = WebhookSigner.stripe(NOW, utf8(body), SECRET);
    return Stream.of(
        Arguments.of("their header, their signer", body, theirs),
        Arguments.of("our header, our signer", body, ours),
        Arguments.of("unicode body, their signer", unicode, Webhook.Signature.generateSignatureHeader(unicode, SECRET, NOW)),
        Arguments.of("unicode body, our signer", unicode, WebhookSigner.stripe(NOW, utf8(unicode), SECRET)),
        Arguments.of("their signer, body changed", body.replace("4200", "4201"), theirs),
        Arguments.of("their signer, other secret", body, Webhook.Signature.generateSignatureHeader(body, "whsec_x", NOW)),
        Arguments.of("our signer, other secret", body, WebhookSigner.stripe(NOW, utf8(body), "whsec_x")),
        Arguments.of("signed 301 s ago", body, Webhook.Signature.generateSignatureHeader(body, SECRET, NOW - 301)),
        Arguments.of("signed 300 s ago", body, WebhookSigner.stripe(NOW - 300, utf8(body), SECRET)),
        Arguments.of("two v1, second matches", body, "t=" + NOW + ",v1=" + "0".repeat(64) + ",v1=" + sig),
        Arguments.of("v0 only", body, "t=" + NOW + ",v0=" + sig),
        Arguments.of("v1 and unknown schemes", body, "t=" + NOW + ",v0=" + sig + ",v1=" + sig + ",x=1"),
        Arguments.of("uppercase hex", body, "t=" + NOW + ",v1=" + sig.toUpperCase(java.util.Locale.ROOT)),
        Arguments.of("space after comma", body, "t=" + NOW + ", v1=" + sig),
        Arguments.of("no timestamp", body, "v1=" + sig),
        Arguments.of("timestamp zero", body, "t=0,v1=" + sig),
        Arguments.of("timestamp not a number", body, "t=now,v1=" + sig),
        Arguments.of("second t ignored", body, theirs + ",t=" + (NOW + 5)),
        Arguments.of("a different first t", body, "t=" + (NOW + 5) + "," + theirs),
        Arguments.of("truncated signature", body, "t=" + NOW + ",v1=" + sig.substring(2)),
        Arguments.of("empty header", body, ""),
        Arguments.of("v1 without value", body, "t=" + NOW + ",v1=" + sig + ",v1"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  @DisplayName("accepts and rejects exactly what stripe-java does")
  void agrees(String name, String payload, String header) {
    boolean theirs = stripeAccepts(payload, header, SECRET);
    assertThat(weAccept(payload, header, SECRET)).as(name + " (stripe-java accepts: " + theirs + ")")
        .isEqualTo(theirs);
  }

  @Test
  @DisplayName("the inputs include both accepted and rejected webhooks, so agreement is not vacuous")
  void casesAreMixed() throws Exception {
    long accepted = cases().filter(a -> stripeAccepts((String) a.get()[1], (String) a.get()[2], SECRET)).count();
    assertThat(accepted).isBetween(5L, cases().count() - 10);
  }

  @Test
  @DisplayName("a timestamp from the future: stripe-java accepts it, we refuse it (documented, stricter)")
  void futureTimestampIsOurOnlyDivergence() throws Exception {
    String header = Webhook.Signature.generateSignatureHeader(STRIPE_BODY, SECRET, NOW + 3600);
    assertThat(stripeAccepts(STRIPE_BODY, header, SECRET)).isTrue();
    assertThat(done(scheme.verify(utf8(STRIPE_BODY), headers("Stripe-Signature", header), List.of(SECRET), null,
        NOW))).isEqualTo(Verdict.EXPIRED);
  }

  @Test
  @DisplayName("stripe-java's parsed event has the id and type we identify")
  void sameIdentity() throws Exception {
    Event event = Webhook.constructEvent(STRIPE_BODY, WebhookSigner.stripe(NOW, utf8(STRIPE_BODY), SECRET), SECRET,
        Webhook.DEFAULT_TOLERANCE, CLOCK);
    assertThat(scheme.identify(utf8(STRIPE_BODY), headers()))
        .isEqualTo(new EventIdentity(event.getId(), event.getType()));
  }
}
