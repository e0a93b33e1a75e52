package io.tinko.engine.dunning;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.engine.support.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Recovery link tokens: only an untouched, unexpired token of the right purpose under a known key is accepted. */
class LinkTokensTest {
  private static final String K1 = "k1:" + Base64.getEncoder().encodeToString(bytes(1));
  private static final String K2 = "k2:" + Base64.getEncoder().encodeToString(bytes(2));
  private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final UUID org = UUID.randomUUID();
  private final UUID tx = UUID.randomUUID();

  private static byte[] bytes(int seed) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) seed);
    return b;
  }

  private LinkTokens.Claims claims(String purpose) {
    return new LinkTokens.Claims(UUID.randomUUID(), org, tx, purpose, clock.instant().plus(Duration.ofDays(7)));
  }

  @Test
  @DisplayName("a valid token gives back exactly the tenant, transaction, purpose and expiry it was signed with")
  void valid() {
    LinkTokens tokens = new LinkTokens(LinkKeys.parse(List.of(K1)), clock);
    LinkTokens.Claims c = claims("pay");
    LinkTokens.Verdict v = tokens.verify(tokens.sign(c), "pay");
    assertThat(v.ok()).isTrue();
    assertThat(v.claims()).isEqualTo(c);
  }

  @Test
  @DisplayName("changing any character of the claims or the signature is refused")
  void tampered() {
    LinkTokens tokens = new LinkTokens(LinkKeys.parse(List.of(K1)), clock);
    String t = tokens.sign(claims("pay"));
    String[] parts = t.split("\\.");
    for (int i = 0; i < parts[1].length(); i += 7) {
      char c = parts[1].charAt(i);
      String changed = parts[0] + "." + parts[1].substring(0, i) + (c == 'A' ? 'B' : 'A') + parts[1].substring(i + 1)
          + "." + parts[2];
      assertThat(tokens.verify(changed, "pay").refusal()).isIn(LinkTokens.Refusal.BAD_SIGNATURE,
          LinkTokens.Refusal.MALFORMED);
    }
    String badSig = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
    assertThat(tokens.verify(badSig, "pay").refusal()).isEqualTo(LinkTokens.Refusal.BAD_SIGNATURE);
    assertThat(tokens.verify("garbage", "pay").refusal()).isEqualTo(LinkTokens.Refusal.MALFORMED);
    assertThat(tokens.verify(t + ".x", "pay").refusal()).isEqualTo(LinkTokens.Refusal.MALFORMED);
  }

  @Test
  @DisplayName("another tenant's id written into a token breaks its signature")
  void otherTenant() {
    LinkTokens tokens = new LinkTokens(LinkKeys.parse(List.of(K1)), clock);
    String t = tokens.sign(claims("pay"));
    String[] parts = t.split("\\.");
    String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace(org.toString(), UUID.randomUUID().toString());
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(tokens.verify(forged, "pay").refusal()).isEqualTo(LinkTokens.Refusal.BAD_SIGNATURE);
  }

  @Test
  @DisplayName("a token is good until its expiry and refused from that second on")
  void expired() {
    LinkTokens tokens = new LinkTokens(LinkKeys.parse(List.of(K1)), clock);
    String t = tokens.sign(claims("pay"));
    clock.advance(Duration.ofDays(7).minusSeconds(1));
    assertThat(tokens.verify(t, "pay").ok()).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.verify(t, "pay").refusal()).isEqualTo(LinkTokens.Refusal.EXPIRED);
  }

  @Test
  @DisplayName("an unsubscribe token cannot be used as a payment token")
  void purpose() {
    LinkTokens tokens = new LinkTokens(LinkKeys.parse(List.of(K1)), clock);
    assertThat(tokens.verify(tokens.sign(claims("unsubscribe")), "pay").refusal())
        .isEqualTo(LinkTokens.Refusal.WRONG_PURPOSE);
  }

  @Test
  @DisplayName("after rotation the new key signs, old links still verify, and retiring the old key refuses them")
  void rotatedKey() {
    LinkTokens before = new LinkTokens(LinkKeys.parse(List.of(K1)), clock);
    String old = before.sign(claims("pay"));
    LinkTokens rotated = new LinkTokens(LinkKeys.parse(List.of(K2, K1)), clock);
    String fresh = rotated.sign(claims("pay"));
    assertThat(fresh).startsWith("k2.");
    assertThat(rotated.verify(old, "pay").ok()).isTrue();
    assertThat(rotated.verify(fresh, "pay").ok()).isTrue();
    LinkTokens retired = new LinkTokens(LinkKeys.parse(List.of(K2)), clock);
    assertThat(retired.verify(old, "pay").refusal()).isEqualTo(LinkTokens.Refusal.UNKNOWN_KEY);
    assertThat(before.verify(fresh, "pay").refusal()).isEqualTo(LinkTokens.Refusal.UNKNOWN_KEY);
    // a token claiming the old key id but signed with another key is not accepted either
    String[] p = fresh.split("\\.");
    assertThat(rotated.verify("k1." + p[1] + "." + p[2], "pay").refusal())
        .isEqualTo(LinkTokens.Refusal.BAD_SIGNATURE);
  }
}
