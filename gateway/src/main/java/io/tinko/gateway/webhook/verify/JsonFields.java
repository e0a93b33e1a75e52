package io.tinko.gateway.webhook.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads up to two top-level string fields of a JSON object with Jackson's streaming parser.
 *
 * <p>Every webhook passes through here, so no tree is built: nested objects and arrays are skipped token by token
 * (a {@code data.object.id} is never mistaken for the event id) and parsing stops as soon as both fields are found,
 * which for the PSPs' payloads is usually within the first hundred bytes. The rest of the body is not validated here;
 * it is signed by the PSP and parsed in full by the engine.
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
}
