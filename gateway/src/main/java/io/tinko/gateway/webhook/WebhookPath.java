package io.tinko.gateway.webhook;

/**
 * The two segments of {@code /v1/webhooks/{psp}/{endpointId}}, read without the router. Only plain paths qualify:
 * each segment non-empty and made of {@code A-Z a-z 0-9 - _ . ~}, neither {@code .} nor {@code ..}, no trailing
 * slash. Anything else (percent-escapes, dot segments, extra segments) returns null and is left to the router, whose
 * path normalisation and decoding then apply exactly as before.
 */
record WebhookPath(String psp, String endpointId) {
  static final String PREFIX = "/v1/webhooks/";

  static WebhookPath parse(String path) {
    if (path == null || !path.startsWith(PREFIX)) {
      return null;
    }
    int from = PREFIX.length();
    int slash = path.indexOf('/', from);
    if (slash < 0 || !plainSegment(path, from, slash) || !plainSegment(path, slash + 1, path.length())) {
      return null;
    }
    return new WebhookPath(path.substring(from, slash), path.substring(slash + 1));
  }

  private static boolean plainSegment(String s, int from, int to) {
    int len = to - from;
    if (len <= 0 || len == 1 && s.charAt(from) == '.' || len == 2 && s.startsWith("..", from)) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '-' || c == '_' || c == '.' || c == '~';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
