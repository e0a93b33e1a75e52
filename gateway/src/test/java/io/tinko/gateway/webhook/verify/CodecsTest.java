package io.tinko.gateway.webhook.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Strict signature decoders")
class CodecsTest {

  @Test
  @DisplayName("hex and base64 of random bytes decode back to the same bytes, for every tail length")
  void roundTrip() {
    Random random = new Random(42);
    for (int n = 1; n <= 70; n++) {
      byte[] raw = new byte[n];
      random.nextBytes(raw);
      byte[] out = new byte[n];
      String hex = HexFormat.of().formatHex(raw);
      assertThat(Codecs.decodeHex(hex, 0, hex.length(), out)).isTrue();
      assertThat(out).isEqualTo(raw);
      String b64 = Base64.getEncoder().encodeToString(raw);
      java.util.Arrays.fill(out, (byte) 0);
      assertThat(Codecs.decodeBase64(b64, 0, b64.length(), out)).as(b64).isTrue();
      assertThat(out).isEqualTo(raw);
    }
  }

  @Test
  @DisplayName("uppercase, odd or wrongly sized hex is refused")
  void badHex() {
    byte[] out = new byte[2];
    assertThat(Codecs.decodeHex("abcd", 0, 4, out)).isTrue();
    assertThat(Codecs.decodeHex("ABCD", 0, 4, out)).isFalse();
    assertThat(Codecs.decodeHex("abc", 0, 3, out)).isFalse();
    assertThat(Codecs.decodeHex("abcdef", 0, 6, out)).isFalse();
    assertThat(Codecs.decodeHex("abcg", 0, 4, out)).isFalse();
    assertThat(Codecs.decodeHex("ab\u0661d", 0, 4, out)).isFalse();
  }

  @Test
  @DisplayName("base64 with missing padding, url-safe letters or stray low bits is refused")
  void badBase64() {
    byte[] one = new byte[1];
    byte[] two = new byte[2];
    assertThat(Codecs.decodeBase64("/w==", 0, 4, one)).isTrue();
    assertThat(Codecs.decodeBase64("/w", 0, 2, one)).isFalse();
    assertThat(Codecs.decodeBase64("_w==", 0, 4, one)).isFalse();
    assertThat(Codecs.decodeBase64("/x==", 0, 4, one)).isFalse();
    assertThat(Codecs.decodeBase64("/w=A", 0, 4, one)).isFalse();
    assertThat(Codecs.decodeBase64("//8=", 0, 4, two)).isTrue();
    assertThat(Codecs.decodeBase64("//9=", 0, 4, two)).isFalse();
    assertThat(Codecs.decodeBase64("//8=", 0, 4, one)).isFalse();
  }

  @Test
  @DisplayName("decimal digits are written and parsed without a sign and within 18 digits")
  void decimals() {
    byte[] buf = new byte[20];
    int n = Codecs.writeDecimal(1_767_225_600L, buf);
    assertThat(new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("1767225600");
    assertThat(Codecs.writeDecimal(0, buf)).isEqualTo(1);
    assertThat(buf[0]).isEqualTo((byte) '0');
    assertThat(Codecs.parseDigits("x0123y", 1, 5)).isEqualTo(123);
    assertThat(Codecs.parseDigits("+1", 0, 2)).isEqualTo(-1);
    assertThat(Codecs.parseDigits("", 0, 0)).isEqualTo(-1);
    assertThat(Codecs.parseDigits("9".repeat(19), 0, 19)).isEqualTo(-1);
  }
}
