package io.tinko.gateway.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every request carries an {@code X-Request-Id}: the caller's when it sends a sane one, otherwise a new one. It is
 * echoed in the response and put in the routing context for logs and error bodies.
 */
public final class RequestIds implements Handler<RoutingContext> {
  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "requestId";
  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

  @Override
  public void handle(RoutingContext ctx) {
    String id = accept(ctx.request().getHeader(HEADER));
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  /** The caller's id when it sent a sane one (1–128 printable ASCII characters), otherwise a new one. */
  public static String accept(String sent) {
    return sent == null || sent.isEmpty() || sent.length() > 128 || !printable(sent) ? generate() : sent;
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "unknown" : id;
  }

  static String generate() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] c = new char[20];
    c[0] = 'r';
    c[1] = 'q';
    c[2] = '_';
    for (int i = 3; i < c.length; i++) {
      c[i] = ALPHABET[r.nextInt(ALPHABET.length)];
    }
    return new String(c);
  }

  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < 0x21 || ch > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
