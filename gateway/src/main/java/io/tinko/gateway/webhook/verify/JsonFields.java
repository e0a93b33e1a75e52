package io.tinko.gateway.webhook.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads up to two top-level string fields of a JSON object with Jackson's streaming parser.
 *
 * <p>Every webhook passes through here, so no tree is built: nested objects and arrays are skipped token by token
 * (a {@code data.object.id} is never mistaken for the event id) and parsing stops as soon as both fields are found,
 * which for the PSPs' payloads is usually within the first hundred bytes. The rest of the body is not validated here;
 * it is signed by the PSP and parsed in full by the engine.
 *
 * <p>Before Jackson, a byte-level {@link Scan} reads the common case (plain ASCII JSON) about several times faster.
 * It never decides anything Jackson would decide differently: it answers only when everything it passed over is
 * JSON that Jackson accepts and the values need no decoding, and otherwise hands the body to Jackson, which then
 * gives the answer (including every refusal).
 */
final class JsonFields {
  /** Thread-safe once configured; shared by every event loop. */
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  /** The values found; either may be null when absent or not a string. */
  record Found(String first, String second) {
  }

  private JsonFields() {
  }

  /**
   * @param first  name of a top-level field to read, or null
   * @param second name of another top-level field to read, or null
   * @throws BadPayloadException when the body is not JSON or not a JSON object
   */
  static Found read(byte[] body, String first, String second) throws BadPayloadException {
    Found quick = Scan.read(body, first, second);
    return quick != null ? quick : readWithJackson(body, first, second);
  }

  /** The reference reading: Jackson decides every input the quick scan is not sure about. */
  static Found readWithJackson(byte[] body, String first, String second) throws BadPayloadException {
    String a = null;
    String b = null;
    boolean wantA = first != null;
    boolean wantB = second != null;
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadPayloadException("body is not a JSON object");
      }
      while (wantA || wantB) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_OBJECT) {
          break;
        }
        if (t != JsonToken.FIELD_NAME) {
          throw new BadPayloadException("body is not valid JSON");
        }
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (value == null) {
          throw new BadPayloadException("body is not valid JSON");
        }
        if (value.isStructStart()) {
          p.skipChildren();
        } else if (value == JsonToken.VALUE_STRING) {
          if (wantA && name.equals(first)) {
            a = p.getText();
            wantA = false;
          } else if (wantB && name.equals(second)) {
            b = p.getText();
            wantB = false;
          }
        }
      }
    } catch (IOException e) {
      // JsonParseException, StreamConstraintsException (nesting too deep) and truncation all land here
      throw new BadPayloadException("body is not valid JSON");
    }
    return new Found(a, b);
  }

  /** Reads the event id and type; the id is required. */
  static EventIdentity identity(byte[] body, String idField, String typeField) throws BadPayloadException {
    Found f = read(body, idField, typeField);
    if (f.first() == null || f.first().isEmpty()) {
      throw new BadPayloadException("body has no top-level \"" + idField + "\"");
    }
    return new EventIdentity(f.first(), f.second());
  }

  /**
   * The quick reading. Returns null ("ask Jackson") on anything outside its narrow, strict subset: a byte outside
   * printable ASCII and the four JSON whitespace characters (so no encoding detection or UTF-8 question arises), a
   * backslash in a top-level name or in a value to return, nesting deeper than 60, a number longer than 500
   * characters, a name longer than 1,000, and every syntax error. What it accepts is RFC 8259 JSON within Jackson's default limits, read with
   * the same rules as {@link #readWithJackson}: the first string value of each name wins, values of other types are
   * passed over, reading stops as soon as both fields are found or the top-level object ends.
   */
  static final class Scan {
    private static final int MAX_DEPTH = 60;
    private static final int MAX_NUMBER = 500;
    /** Jackson refuses names over 50,000 characters; longer than this, let it decide. */
    private static final int MAX_NAME = 1000;
    private static final int MAX_BODY = 1 << 20;

    private Scan() {
    }

    static Found read(byte[] b, String first, String second) {
      int n = b.length;
      if (n > MAX_BODY) {
        return null;
      }
      int i = ws(b, 0);
      if (i >= n || b[i] != '{') {
        return null;
      }
      String a = null;
      String c = null;
      boolean wantA = first != null;
      boolean wantB = second != null;
      i = ws(b, i + 1);
      if (i < n && b[i] == '}') {
        return new Found(null, null);
      }
      while (wantA || wantB) {
        // a member: "name" : value
        if (i >= n || b[i] != '"') {
          return null;
        }
        int nameStart = i + 1;
        int nameEnd = plainString(b, nameStart);
        if (nameEnd < 0 || nameEnd - nameStart > MAX_NAME) {
          return null;
        }
        i = ws(b, nameEnd + 1);
        if (i >= n || b[i] != ':') {
          return null;
        }
        i = ws(b, i + 1);
        if (i >= n) {
          return null;
        }
        if (b[i] == '"') {
          boolean isA = wantA && is(b, nameStart, nameEnd, first);
          boolean isB = !isA && wantB && is(b, nameStart, nameEnd, second);
          if (isA || isB) {
            int end = plainString(b, i + 1);
            if (end < 0) {
              return null;
            }
            String v = new String(b, i + 1, end - i - 1, StandardCharsets.ISO_8859_1);
            if (isA) {
              a = v;
              wantA = false;
            } else {
              c = v;
              wantB = false;
            }
            i = end + 1;
          } else {
            i = skipString(b, i + 1);
          }
        } else {
          i = skipValue(b, i);
        }
        if (i < 0) {
          return null;
        }
        if (!wantA && !wantB) {
          break;
        }
        i = ws(b, i);
        if (i >= n) {
          return null;
        }
        if (b[i] == '}') {
          break;
        }
        if (b[i] != ',') {
          return null;
        }
        i = ws(b, i + 1);
      }
      return new Found(a, c);
    }

    /** The index of the closing quote of a string without escapes and of printable ASCII only, or -1. */
    private static int plainString(byte[] b, int i) {
      for (int n = b.length; i < n; i++) {
        byte c = b[i];
        if (c == '"') {
          return i;
        }
        if (c < 0x20 || c == '\\' || c == 0x7f) {
          return -1;
        }
      }
      return -1;
    }

    /** Past the closing quote of a string of printable ASCII with valid escapes, or -1. */
    private static int skipString(byte[] b, int i) {
      int n = b.length;
      while (i < n) {
        byte c = b[i];
        if (c == '"') {
          return i + 1;
        }
        if (c < 0x20 || c == 0x7f) {
          return -1;
        }
        if (c == '\\') {
          if (i + 1 >= n) {
            return -1;
          }
          byte e = b[i + 1];
          if (e == 'u') {
            if (i + 5 >= n || !hex(b[i + 2]) || !hex(b[i + 3]) || !hex(b[i + 4]) || !hex(b[i + 5])) {
              return -1;
            }
            i += 6;
            continue;
          }
          if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
            return -1;
          }
          i += 2;
          continue;
        }
        i++;
      }
      return -1;
    }

    /** Past one complete JSON value starting at {@code i} (no leading whitespace), or -1. */
    private static int skipValue(byte[] b, int i) {
      int n = b.length;
      long objects = 0; // one bit per open container, 1 = object
      int depth = 0;
      while (true) {
        // i is at the start of a value
        if (i >= n) {
          return -1;
        }
        byte c = b[i];
        if (c == '{' || c == '[') {
          if (++depth > MAX_DEPTH) {
            return -1;
          }
          boolean object = c == '{';
          objects = (objects << 1) | (object ? 1 : 0);
          i = ws(b, i + 1);
          if (i >= n) {
            return -1;
          }
          if (b[i] == (object ? '}' : ']')) {
            depth--;
            objects >>>= 1;
            i++;
          } else if (object) {
            i = member(b, i);
            if (i < 0) {
              return -1;
            }
            continue;
          } else {
            continue;
          }
        } else if (c == '"') {
          i = skipString(b, i + 1);
        } else if (c == '-' || c >= '0' && c <= '9') {
          i = skipNumber(b, i);
        } else if (c == 't') {
          i = literal(b, i, "true");
        } else if (c == 'f') {
          i = literal(b, i, "false");
        } else if (c == 'n') {
          i = literal(b, i, "null");
        } else {
          return -1;
        }
        if (i < 0) {
          return -1;
        }
        // after a complete value: close containers or move on to the next element
        while (true) {
          if (depth == 0) {
            return i;
          }
          i = ws(b, i);
          if (i >= n) {
            return -1;
          }
          boolean object = (objects & 1) != 0;
          byte d = b[i];
          if (d == ',') {
            i = ws(b, i + 1);
            if (object) {
              i = member(b, i);
              if (i < 0) {
                return -1;
              }
            }
            break;
          }
          if (d != (object ? '}' : ']')) {
            return -1;
          }
          depth--;
          objects >>>= 1;
          i++;
        }
      }
    }

    /** Past {@code "name" :} and the whitespace after it, at the start of the member's value; or -1. */
    private static int member(byte[] b, int i) {
      int n = b.length;
      if (i >= n || b[i] != '"') {
        return -1;
      }
      int start = i;
      i = skipString(b, i + 1);
      if (i < 0 || i - start > MAX_NAME) {
        return -1;
      }
      i = ws(b, i);
      if (i >= n || b[i] != ':') {
        return -1;
      }
      return ws(b, i + 1);
    }

    private static int skipNumber(byte[] b, int i) {
      int n = b.length;
      int start = i;
      if (b[i] == '-') {
        i++;
      }
      if (i >= n) {
        return -1;
      }
      if (b[i] == '0') {
        i++;
      } else if (b[i] >= '1' && b[i] <= '9') {
        i = digits(b, i);
      } else {
        return -1;
      }
      if (i < n && b[i] == '.') {
        int f = digits(b, i + 1);
        if (f == i + 1) {
          return -1;
        }
        i = f;
      }
      if (i < n && (b[i] == 'e' || b[i] == 'E')) {
        i++;
        if (i < n && (b[i] == '+' || b[i] == '-')) {
          i++;
        }
        int e = digits(b, i);
        if (e == i) {
          return -1;
        }
        i = e;
      }
      return i - start > MAX_NUMBER ? -1 : i;
    }

    private static int digits(byte[] b, int i) {
      while (i < b.length && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      return i;
    }

    private static int literal(byte[] b, int i, String word) {
      int len = word.length();
      if (i + len > b.length) {
        return -1;
      }
      for (int k = 0; k < len; k++) {
        if (b[i + k] != word.charAt(k)) {
          return -1;
        }
      }
      return i + len;
    }

    private static boolean hex(byte c) {
      return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static int ws(byte[] b, int i) {
      while (i < b.length) {
        byte c = b[i];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          return i;
        }
        i++;
      }
      return i;
    }

    private static boolean is(byte[] b, int from, int to, String name) {
      int len = to - from;
      if (len != name.length()) {
        return false;
      }
      for (int k = 0; k < len; k++) {
        if (b[from + k] != name.charAt(k)) {
          return false;
        }
      }
      return true;
    }
  }
}
