package io.tinko.gateway.webhook.verify;

/**
 * Strict, allocation-free decoders for received signatures.
 *
 * <p>Strict on purpose: the PSPs' own verifiers compare the encoded strings, so anything but the one canonical
 * encoding (lowercase hex; padded base64 with zero trailing bits) is rejected there, and accepting it here would make
 * our verdicts differ from theirs. Decoding into a caller-owned buffer keeps the per-request path free of garbage.
 */
final class Codecs {
  private static final byte[] HEX = new byte[128];
  private static final byte[] BASE64 = new byte[128];

  static {
    java.util.Arrays.fill(HEX, (byte) -1);
    java.util.Arrays.fill(BASE64, (byte) -1);
    for (int i = 0; i < 10; i++) {
      HEX['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      HEX['a' + i] = (byte) (10 + i);
    }
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      BASE64[alphabet.charAt(i)] = (byte) i;
    }
  }

  private Codecs() {
  }

  /** Decodes lowercase hex {@code s[from, to)} into all of {@code out}; false unless it is exactly that long. */
  static boolean decodeHex(String s, int from, int to, byte[] out) {
    if (to - from != out.length * 2) {
      return false;
    }
    for (int i = 0; i < out.length; i++) {
      int hi = digit(HEX, s.charAt(from + 2 * i));
      int lo = digit(HEX, s.charAt(from + 2 * i + 1));
      if ((hi | lo) < 0) {
        return false;
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return true;
  }

  /**
   * Decodes canonical, padded standard base64 {@code s[from, to)} into all of {@code out}; false for any other length,
   * a character outside the alphabet, missing padding or non-zero bits after the last byte.
   */
  static boolean decodeBase64(String s, int from, int to, byte[] out) {
    int n = out.length;
    if (to - from != (n + 2) / 3 * 4) {
      return false;
    }
    int full = n / 3;
    int pos = from;
    for (int g = 0; g < full; g++, pos += 4) {
      int bits = quad(s, pos, 4);
      if (bits < 0) {
        return false;
      }
      out[3 * g] = (byte) (bits >> 16);
      out[3 * g + 1] = (byte) (bits >> 8);
      out[3 * g + 2] = (byte) bits;
    }
    int rest = n - 3 * full;
    if (rest == 0) {
      return true;
    }
    // 1 trailing byte = 2 chars + "==", 2 trailing bytes = 3 chars + "="
    int chars = rest + 1;
    for (int i = pos + chars; i < pos + 4; i++) {
      if (s.charAt(i) != '=') {
        return false;
      }
    }
    int bits = quad(s, pos, chars);
    if (bits < 0) {
      return false;
    }
    if (rest == 1) {
      if ((bits & 0xFFFF) != 0) {
        return false;
      }
      out[3 * full] = (byte) (bits >> 16);
    } else {
      if ((bits & 0xFF) != 0) {
        return false;
      }
      out[3 * full] = (byte) (bits >> 16);
      out[3 * full + 1] = (byte) (bits >> 8);
    }
    return true;
  }

  /** Writes the decimal digits of a non-negative value into {@code buf} from index 0; returns the digit count. */
  static int writeDecimal(long value, byte[] buf) {
    int len = 1;
    for (long v = value / 10; v > 0; v /= 10) {
      len++;
    }
    long v = value;
    for (int i = len - 1; i >= 0; i--) {
      buf[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    return len;
  }

  /**
   * Parses {@code s[from, to)} as plain decimal digits (no sign, at most 18 digits so it cannot overflow);
   * returns -1 otherwise.
   */
  static long parseDigits(String s, int from, int to) {
    int len = to - from;
    if (len < 1 || len > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Up to four base64 characters as the high bits of a 24-bit group, or -1 for a character outside the alphabet. */
  private static int quad(String s, int pos, int chars) {
    int bits = 0;
    for (int i = 0; i < 4; i++) {
      int d = i < chars ? digit(BASE64, s.charAt(pos + i)) : 0;
      if (d < 0) {
        return -1;
      }
      bits = bits << 6 | d;
    }
    return bits;
  }

  private static int digit(byte[] table, char c) {
    return c < 128 ? table[c] : -1;
  }
}
