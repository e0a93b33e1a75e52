package io.tinko.gateway.api;

import io.tinko.gateway.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * A keyset position: the (time, id) of the last row of a page, in microseconds as Postgres keeps them. The next page
 * is "strictly after this row" in (time DESC, id DESC) order, so rows arriving meanwhile (newer, at the front) never
 * shift or repeat rows in later pages. Opaque to callers; it holds no tenant and grants nothing: the organisation
 * always comes from the credential.
 */
public record Cursor(OffsetDateTime at, UUID id) {
  private static final String VERSION = "v1";

  public String encode() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at.toInstant());
    String raw = VERSION + ":" + micros + ":" + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
  }

  /** @throws ApiException 400 when the value is not a cursor this API issued */
  public static Cursor decode(String s) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.US_ASCII);
      String[] parts = raw.split(":", 3);
      if (parts.length != 3 || !VERSION.equals(parts[0])) {
        throw new IllegalArgumentException("unknown cursor version");
      }
      Instant at = Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS);
      return new Cursor(OffsetDateTime.ofInstant(at, ZoneOffset.UTC), UUID.fromString(parts[2]));
    } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
      throw new ApiException(400, "invalid_cursor", "the cursor is not one this API returned");
    }
  }
}
