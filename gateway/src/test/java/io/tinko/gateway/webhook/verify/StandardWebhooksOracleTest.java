package io.tinko.gateway.webhook.verify;

import static io.tinko.gateway.webhook.verify.Fixtures.done;
import static io.tinko.gateway.webhook.verify.Fixtures.headers;
import static io.tinko.gateway.webhook.verify.Fixtures.utf8;
import static io.tinko.gateway.webhook.verify.StandardWebhooksSchemeTest.MSG_ID;
import static io.tinko.gateway.webhook.verify.StandardWebhooksSchemeTest.OLD_SECRET;
import static io.tinko.gateway.webhook.verify.StandardWebhooksSchemeTest.PAYLOAD;
import static io.tinko.gateway.webhook.verify.StandardWebhooksSchemeTest.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our verdicts against the reference library {@code com.standardwebhooks:standardwebhooks} (HMAC only). The library
 * reads the system clock, so these cases are built around the real current time.
 */
@DisplayName("Standard Webhooks scheme agrees with the reference library")
class StandardWebhooksOracleTest {
  private static final long NOW = System.currentTimeMillis() / 1000;

  private final StandardWebhooksScheme scheme = new StandardWebhooksScheme(300);

  private static boolean libraryAccepts(String payload, String id, String ts, String signature) {
    try {
      new Webhook(SECRET).verify(payload, Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(ts),
          "webhook-signature", List.of(signature)));
      return true;
    } catch (WebhookVerificationException | RuntimeException e) {
      return false;
    }
  }

  private boolean weAccept(String payload, String id, String ts, String signature) {
    return done(scheme.verify(utf8(payload), headers("webhook-id", id, "webhook-timestamp", ts,
        "webhook-signature", signature), List.of(SECRET), null, NOW)) == Verdict.VALID;
  }

  static Stream<Arguments> cases() throws WebhookSigningException {
    Webhook lib = new Webhook(SECRET);
    String ts = Long.toString(NOW);
    String theirs = lib.sign(MSG_ID, NOW, PAYLOAD);
    String b64 = theirs.substring(3);
    String unicode = "{\"type\":\"user.created\",\"data\":{\"name\":\"Zoë 東京 😀\"}}";
    String old = Long.toString(NOW - 400);
    String future = Long.toString(NOW + 400);
    return Stream.of(
        Arguments.of("their signer", PAYLOAD, MSG_ID, ts, theirs),
        Arguments.of("our signer", PAYLOAD, MSG_ID, ts, WebhookSigner.standard(MSG_ID, NOW, utf8(PAYLOAD), SECRET)),
        Arguments.of("unicode, their signer", unicode, MSG_ID, ts, lib.sign(MSG_ID, NOW, unicode)),
        Arguments.of("unicode, our signer", unicode, MSG_ID, ts, WebhookSigner.standard(MSG_ID, NOW, utf8(unicode), SECRET)),
        Arguments.of("rotation list, ours first", PAYLOAD, MSG_ID, ts,
            WebhookSigner.standard(MSG_ID, NOW, utf8(PAYLOAD), OLD_SECRET) + " " + theirs),
        Arguments.of("another secret", PAYLOAD, MSG_ID, ts,
            WebhookSigner.standard(MSG_ID, NOW, utf8(PAYLOAD), OLD_SECRET)),
        Arguments.of("body changed", PAYLOAD.replace("4200", "4300"), MSG_ID, ts, theirs),
        Arguments.of("id changed", PAYLOAD, "msg_other", ts, theirs),
        Arguments.of("400 s old", PAYLOAD, MSG_ID, old, new Webhook(SECRET).sign(MSG_ID, NOW - 400, PAYLOAD)),
        Arguments.of("400 s ahead", PAYLOAD, MSG_ID, future, new Webhook(SECRET).sign(MSG_ID, NOW + 400, PAYLOAD)),
        Arguments.of("timestamp not a number", PAYLOAD, MSG_ID, "soon", theirs),
        Arguments.of("unknown version", PAYLOAD, MSG_ID, ts, "v2," + b64),
        Arguments.of("unpadded base64", PAYLOAD, MSG_ID, ts, "v1," + b64.substring(0, b64.length() - 1)),
        Arguments.of("truncated", PAYLOAD, MSG_ID, ts, "v1," + b64.substring(4)),
        Arguments.of("empty", PAYLOAD, MSG_ID, ts, ""));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  @DisplayName("accepts and rejects exactly what the reference library does")
  void agrees(String name, String payload, String id, String ts, String signature) {
    boolean theirs = libraryAccepts(payload, id, ts, signature);
    assertThat(weAccept(payload, id, ts, signature)).as(name + " (library accepts: " + theirs + ")")
        .isEqualTo(theirs);
  }

  @Test
  @DisplayName("the cases include accepted and rejected webhooks, so agreement is not vacuous")
  void casesAreMixed() throws WebhookSigningException {
    long accepted = cases().filter(a -> libraryAccepts((String) a.get()[1], (String) a.get()[2],
        (String) a.get()[3], (String) a.get()[4])).count();
    assertThat(accepted).isEqualTo(5);
  }

  @Test
  @DisplayName("our signer writes the same v1 entry as the library")
  void sameSignature() throws WebhookSigningException {
    assertThat(WebhookSigner.standard(MSG_ID, NOW, utf8(PAYLOAD), SECRET))
        .isEqualTo(new Webhook(SECRET).sign(MSG_ID, NOW, PAYLOAD));
  }
}
