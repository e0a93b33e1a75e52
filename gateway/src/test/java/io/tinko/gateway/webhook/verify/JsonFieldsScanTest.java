package io.tinko.gateway.webhook.verify;

import static io.tinko.gateway.webhook.verify.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The quick scan in front of Jackson must never answer differently from Jackson: whenever it answers, Jackson gives
 * the same two values (and does not refuse the body). Checked on hand-picked cases and on hundreds of thousands of
 * generated and mutated bodies.
 */
@DisplayName("Top-level JSON field extraction: the quick scan agrees with Jackson")
class JsonFieldsScanTest {
  /** Shaped like the Stripe events the load tests send (type last, so the whole body is read). */
  private static final String STRIPE = """
      {
        "id": "evt_1QxYz",
        "object": "event",
        "api_version": "2024-06-20",
        "created": 1764144000,
        "data": {
          "object": {
            "id": "in_1QxYz", "object": "invoice", "amount_due": 4900, "amount_paid": 0, "attempted": true,
            "customer_email": "customer-1@example.com", "hosted_invoice_url": "https://invoice.stripe.com/i/acct_1/t",
            "next_payment_attempt": 1764403200, "paid": false, "discount": null, "total": 4.9e3, "tax": -0.0,
            "lines": { "object": "list", "data": [ { "id": "il_1", "amount": 4900, "period": { "end": 1, "start": 0 } } ],
                       "has_more": false },
            "last_finalization_error": { "message": "Your card was declined.\\n \\"quoted\\" \\u00e9 \\/ \\\\",
                                         "payment_method": { "card": { "brand": "visa", "last4": "4242" } },
                                         "type": "card_error" }
          }
        },
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": "invoice.payment_failed"
      }""";

  private static Object jackson(byte[] body) {
    try {
      return JsonFields.readWithJackson(body, "id", "type");
    } catch (BadPayloadException e) {
      return "refused";
    }
  }

  private static void agrees(byte[] body) {
    JsonFields.Found quick = JsonFields.Scan.read(body, "id", "type");
    if (quick != null) {
      assertThat(jackson(body)).as(new String(body, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo(quick);
    }
  }

  @Test
  @DisplayName("a Stripe-shaped event is read by the quick scan, with Jackson's values")
  void stripeShaped() throws BadPayloadException {
    byte[] body = utf8(STRIPE);
    JsonFields.Found quick = JsonFields.Scan.read(body, "id", "type");
    assertThat(quick).isEqualTo(new JsonFields.Found("evt_1QxYz", "invoice.payment_failed"));
    assertThat(JsonFields.readWithJackson(body, "id", "type")).isEqualTo(quick);
    assertThat(JsonFields.read(utf8("{\"event\":\"payment.failed\",\"x\":[]}"), "event", null))
        .isEqualTo(new JsonFields.Found("payment.failed", null));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "{\"id\":\"\\u0065vt\",\"type\":\"a\"}", "{\"i\\u0064\":\"evt\",\"type\":\"a\"}", "{\"id\":\"evt_ü\",\"type\":\"a\"}",
      "\uFEFF{\"id\":\"evt\"}", "{\"a\":01,\"id\":\"evt\"}", "{\"a\":1.,\"id\":\"evt\"}", "{\"a\":.5,\"id\":\"evt\"}",
      "{\"a\":+1,\"id\":\"evt\"}", "{\"a\":-,\"id\":\"evt\"}", "{\"a\":1e,\"id\":\"evt\"}", "{\"a\":NaN,\"id\":\"evt\"}",
      "{\"a\":tru,\"id\":\"evt\"}", "{\"a\":truex,\"id\":\"evt\"}", "{\"a\":[1,],\"id\":\"evt\"}",
      "{\"a\":{\"b\":1,},\"id\":\"evt\"}", "{\"a\":{\"b\"},\"id\":\"evt\"}", "{\"a\":[1 2],\"id\":\"evt\"}",
      "{\"a\":\"\\x\",\"id\":\"evt\"}", "{\"a\":\"\\u12G4\",\"id\":\"evt\"}", "{\"a\":\"tab\there\",\"id\":\"evt\"}",
      "{\"a\":[}],\"id\":\"evt\"}", "{\"a\":{],\"id\":\"evt\"}", "{\"id\":\"evt\",}", "{,\"id\":\"evt\"}",
      "{\"id\":\"evt\" \"type\":\"a\"}", "{\"id\":\"evt\"}trailing", "{\"id\":\"evt\",\"type\":\"a\"} trailing",
      "{\"id\":42,\"id\":\"evt\",\"type\":\"a\"}", "{\"id\":\"one\",\"id\":\"two\",\"type\":\"a\"}",
      "{\"type\":null,\"type\":\"b\",\"id\":\"evt\"}", "{}", "{\"x\":1}", "  {\"id\" : \"evt\" , \"type\" : \"t\" }  ",
      "{\"a\":/*c*/1,\"id\":\"evt\"}", "{'id':'evt'}", "{id:\"evt\"}", "{\"id\":\"evt\"", "{\"id\":\"ev", "{\"id\"",
      "{\"a\":\u0000,\"id\":\"evt\"}", "{\"a\":\"\u007f\",\"id\":\"evt\"}", "{\"a\":[[[[[]]]]],\"id\":\"evt\"}",
      "{\"a\":-0.5E+3,\"b\":1e-2,\"c\":0,\"id\":\"evt\",\"type\":\"x\"}"})
  @DisplayName("hand-picked edge cases")
  void edgeCases(String json) {
    agrees(utf8(json));
  }

  @Test
  @DisplayName("deep nesting, long numbers and long names are left to Jackson")
  void limits() {
    String deep = "{\"data\":" + "[".repeat(61) + "]".repeat(61) + ",\"id\":\"evt\"}";
    assertThat(JsonFields.Scan.read(utf8(deep), "id", "type")).isNull();
    String shallow = "{\"data\":" + "[".repeat(60) + "]".repeat(60) + ",\"id\":\"evt\"}";
    assertThat(JsonFields.Scan.read(utf8(shallow), "id", "type")).isEqualTo(new JsonFields.Found("evt", null));
    agrees(utf8("{\"data\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"id\":\"evt\"}"));
    agrees(utf8("{\"n\":" + "1".repeat(1500) + ",\"id\":\"evt\"}"));
    assertThat(JsonFields.Scan.read(utf8("{\"n\":" + "1".repeat(501) + ",\"id\":\"evt\"}"), "id", null)).isNull();
    agrees(utf8("{\"" + "k".repeat(60_000) + "\":1,\"id\":\"evt\"}"));
    agrees(utf8("{\"x\":{\"" + "k".repeat(60_000) + "\":1},\"id\":\"evt\"}"));
  }

  @Test
  @DisplayName("long strings with an escape, a control, DEL or a non-ASCII byte at every offset: as Jackson reads them")
  void everyOffset() {
    String[] insets = {"\\\"", "\\\\", "\\/", "\\n", "\\u00e9", "\\u12G4", "\\x", "\\", "\"", "\t", "\u0000",
        "\u001f", "\u007f", "é", "\u0080", "東"};
    for (String inset : insets) {
      for (int len = 0; len < 40; len++) {
        for (int at = 0; at <= len; at++) {
          String text = "a".repeat(at) + inset + "b".repeat(len - at);
          // in a skipped nested value, in a skipped top-level value, as the id, and as a name
          agrees(utf8("{\"data\":{\"id\":\"" + text + "\",\"type\":[\"" + text + "\"]},\"id\":\"evt\",\"type\":\"t\"}"));
          agrees(utf8("{\"note\":\"" + text + "\",\"id\":\"evt\",\"type\":\"t\"}"));
          agrees(utf8("{\"id\":\"" + text + "\",\"type\":\"" + text + "\"}"));
          agrees(utf8("{\"" + text + "\":1,\"id\":\"evt\"}"));
          // cut inside the string
          agrees(utf8("{\"type\":\"t\",\"data\":\"" + text));
          agrees(utf8("{\"id\":\"" + text));
        }
      }
    }
    // plain long values are the scan's, with Jackson's values
    String plain = "x".repeat(37);
    byte[] body = utf8("{\"data\":{\"id\":\"" + plain + "\",\"type\":\"nested\"},\"id\":\"evt_" + plain
        + "\",\"type\":\"" + plain + "\"}");
    assertThat(JsonFields.Scan.read(body, "id", "type")).isEqualTo(new JsonFields.Found("evt_" + plain, plain));
    agrees(body);
  }

  @Test
  @DisplayName("generated JSON: the quick scan answers most of it, always as Jackson does")
  void generated() {
    Random r = new Random(20261126);
    int ascii = 0;
    int answered = 0;
    for (int k = 0; k < 20_000; k++) {
      String json = object(r, 0, true);
      byte[] body = utf8(json);
      agrees(body);
      // non-ASCII bytes, escaped top-level names and escaped values of id/type are Jackson's by design
      if (json.chars().allMatch(c -> c < 0x80) && !json.contains("\\u0069")) {
        ascii++;
        if (JsonFields.Scan.read(body, "id", "type") != null) {
          answered++;
        }
      }
    }
    assertThat(ascii).isGreaterThan(2_000);
    assertThat(answered).isGreaterThan(ascii / 2);
  }

  @Test
  @DisplayName("mutated JSON (bytes inserted, deleted, replaced, cut): never an answer Jackson would not give")
  void mutated() {
    Random r = new Random(42);
    byte[] alphabet = utf8("{}[]\":,\\/ \t\n\r0123456789eE.-+truefalsnxu\u00e9\u0000\u007f'");
    byte[] stripe = utf8(STRIPE);
    for (int k = 0; k < 200_000; k++) {
      byte[] body = k % 2 == 0 ? stripe.clone() : utf8(object(r, 0, true));
      int mutations = 1 + r.nextInt(3);
      for (int m = 0; m < mutations && body.length > 0; m++) {
        int at = r.nextInt(body.length);
        switch (r.nextInt(4)) {
          case 0 -> body[at] = alphabet[r.nextInt(alphabet.length)];
          case 1 -> {
            byte[] b = new byte[body.length - 1];
            System.arraycopy(body, 0, b, 0, at);
            System.arraycopy(body, at + 1, b, at, body.length - at - 1);
            body = b;
          }
          case 2 -> {
            byte[] b = new byte[body.length + 1];
            System.arraycopy(body, 0, b, 0, at);
            b[at] = alphabet[r.nextInt(alphabet.length)];
            System.arraycopy(body, at, b, at + 1, body.length - at);
            body = b;
          }
          default -> body = Arrays.copyOf(body, at);
        }
      }
      agrees(body);
    }
  }

  private static String object(Random r, int depth, boolean top) {
    StringBuilder sb = new StringBuilder("{").append(ws(r));
    int members = r.nextInt(top ? 8 : 4);
    boolean idPlaced = false;
    for (int i = 0; i < members; i++) {
      if (i > 0) {
        sb.append(',').append(ws(r));
      }
      String name = top && !idPlaced && r.nextInt(3) == 0 ? "id" : top && r.nextInt(5) == 0 ? "type" : name(r);
      idPlaced |= name.equals("id");
      sb.append('"').append(name).append('"').append(ws(r)).append(':').append(ws(r)).append(value(r, depth + 1))
          .append(ws(r));
    }
    if (top && r.nextInt(4) != 0) {
      sb.append(members > 0 ? "," : "").append("\"id\":").append(string(r));
    }
    return sb.append('}').toString();
  }

  private static String value(Random r, int depth) {
    int kind = r.nextInt(depth > 6 ? 5 : 7);
    return switch (kind) {
      case 0 -> string(r);
      case 1 -> number(r);
      case 2 -> "true";
      case 3 -> r.nextBoolean() ? "false" : "null";
      case 4 -> string(r);
      case 5 -> object(r, depth, false);
      default -> {
        StringBuilder sb = new StringBuilder("[").append(ws(r));
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          sb.append(i > 0 ? "," : "").append(value(r, depth + 1)).append(ws(r));
        }
        yield sb.append(']').toString();
      }
    };
  }

  private static String name(Random r) {
    String[] names = {"object", "data", "created", "a", "b", "ids", "i", "typ", "Id", "TYPE", "d\\u0069", "é"};
    return names[r.nextInt(names.length)];
  }

  private static String string(Random r) {
    String[] parts = {"evt_", "in", "x", " ", "\\n", "\\\"", "\\\\", "\\/", "\\u00e9", "\\ud83d\\ude00", "é", "東",
        "-", "_", ".", "1"};
    StringBuilder sb = new StringBuilder("\"");
    int n = r.nextInt(6);
    for (int i = 0; i < n; i++) {
      sb.append(parts[r.nextInt(parts.length)]);
    }
    return sb.append('"').toString();
  }

  private static String number(Random r) {
    String[] forms = {"0", "-0", "7", "42", "-13", "3.25", "1e9", "-2.5E-3", "6.02e+23", "1764144000"};
    return forms[r.nextInt(forms.length)];
  }

  private static String ws(Random r) {
    String[] ws = {"", "", "", " ", "\n  ", "\t", "\r\n"};
    return ws[r.nextInt(ws.length)];
  }
}
