package io.tinko.engine.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Null-tolerant reads from PSP payloads: a missing field, JSON null and "" all read as null. */
final class Json {
  private Json() {}

  /** The node at {@code path}, or a MissingNode (never null) when any step is absent. */
  static JsonNode at(JsonNode node, String... path) {
    JsonNode n = node;
    for (String step : path) {
      if (n == null || n.isMissingNode() || n.isNull()) {
        return MissingNode.getInstance();
      }
      n = n.path(step);
    }
    return n == null ? MissingNode.getInstance() : n;
  }

  static String text(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    if (n.isMissingNode() || n.isNull() || n.isContainerNode()) {
      return null;
    }
    String s = n.asText();
    return s.isEmpty() ? null : s;
  }

  /** An id field that Stripe may send either as a string or, when expanded, as an object with an "id". */
  static String id(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    return n.isObject() ? text(n, "id") : text(node, path);
  }

  static Long integer(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isTextual() && n.asText().matches("-?\\d+")) {
      return Long.parseLong(n.asText());
    }
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    throw new NormalizationException("'" + String.join(".", path) + "' is not an integer: " + n);
  }

  static Integer smallInt(JsonNode node, String... path) {
    Long v = integer(node, path);
    return v == null ? null : Math.toIntExact(v);
  }

  static Instant epochSeconds(JsonNode node, String... path) {
    Long v = integer(node, path);
    return v == null ? null : Instant.ofEpochSecond(v);
  }

  static Instant isoInstant(JsonNode node, String... path) {
    String s = text(node, path);
    if (s == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw new NormalizationException("'" + String.join(".", path) + "' is not an RFC 3339 time: " + s, e);
    }
  }

  static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
