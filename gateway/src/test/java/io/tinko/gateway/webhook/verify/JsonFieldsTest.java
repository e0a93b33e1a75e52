package io.tinko.gateway.webhook.verify;

import static io.tinko.gateway.webhook.verify.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Top-level JSON field extraction")
class JsonFieldsTest {

  private static EventIdentity identity(String json) throws BadPayloadException {
    return JsonFields.identity(utf8(json), "id", "type");
  }

  @Test
  @DisplayName("reads the top-level id and type")
  void simple() throws BadPayloadException {
    assertThat(identity("{\"id\":\"evt_1\",\"type\":\"charge.failed\"}"))
        .isEqualTo(new EventIdentity("evt_1", "charge.failed"));
  }

  @Test
  @DisplayName("an id nested inside data is not taken for the top-level id, wherever it stands")
  void nestedIdIgnored() throws BadPayloadException {
    String json = "{\"data\":{\"object\":{\"id\":\"in_nested\",\"type\":\"invoice\",\"lines\":[{\"id\":\"li_1\"}]}},"
        + "\"items\":[\"id\",{\"id\":\"x\"}],\"type\":\"invoice.paid\",\"id\":\"evt_top\"}";
    assertThat(identity(json)).isEqualTo(new EventIdentity("evt_top", "invoice.paid"));
  }

  @Test
  @DisplayName("an event with only a nested id has no event id")
  void onlyNestedId() {
    assertThatThrownBy(() -> identity("{\"type\":\"a\",\"data\":{\"id\":\"in_1\"}}"))
        .isInstanceOf(BadPayloadException.class).hasMessageContaining("id");
  }

  @Test
  @DisplayName("a missing type is null, a missing id is a bad payload")
  void missingFields() throws BadPayloadException {
    assertThat(identity("{\"id\":\"evt_1\",\"data\":{}}")).isEqualTo(new EventIdentity("evt_1", null));
    assertThatThrownBy(() -> identity("{\"type\":\"a\"}")).isInstanceOf(BadPayloadException.class);
    assertThatThrownBy(() -> identity("{}")).isInstanceOf(BadPayloadException.class);
    assertThatThrownBy(() -> identity("{\"id\":\"\"}")).isInstanceOf(BadPayloadException.class);
  }

  @Test
  @DisplayName("an id that is not a string does not count as an id")
  void nonStringId() {
    assertThatThrownBy(() -> identity("{\"id\":42,\"type\":\"a\"}")).isInstanceOf(BadPayloadException.class);
    assertThatThrownBy(() -> identity("{\"id\":{\"v\":\"evt\"},\"type\":\"a\"}"))
        .isInstanceOf(BadPayloadException.class);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", " ", "not json", "[{\"id\":\"evt_1\"}]", "\"evt_1\"", "42", "null",
      "{\"id\":", "{\"id\" \"evt\"}", "{'id':'evt_1'}", "{\"a\":1,}", "\u00ff\u00fe"})
  @DisplayName("a body that is not a JSON object is a bad payload")
  void notAnObject(String body) {
    assertThatThrownBy(() -> identity(body)).isInstanceOf(BadPayloadException.class);
  }

  @Test
  @DisplayName("unicode and escapes in the values come out decoded")
  void unicode() throws BadPayloadException {
    assertThat(identity("{\"id\":\"evt_ü東京😀\",\"type\":\"caf\\u00e9.\\ud83d\\ude00\"}"))
        .isEqualTo(new EventIdentity("evt_ü東京😀", "café.😀"));
  }

  @Test
  @DisplayName("a large body with the ids at the end is read")
  void largeBody() throws BadPayloadException {
    StringBuilder sb = new StringBuilder("{\"data\":{\"lines\":[");
    for (int i = 0; i < 20_000; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"id\":\"li_").append(i).append("\",\"amount\":").append(i).append('}');
    }
    sb.append("]},\"type\":\"invoice.paid\",\"id\":\"evt_last\"}");
    assertThat(sb.length()).isGreaterThan(500_000);
    assertThat(identity(sb.toString())).isEqualTo(new EventIdentity("evt_last", "invoice.paid"));
  }

  @Test
  @DisplayName("parsing stops once both fields are found, so what follows is not read")
  void stopsEarly() throws BadPayloadException {
    assertThat(identity("{\"id\":\"evt_1\",\"type\":\"a\",\"data\": this part is never parsed"))
        .isEqualTo(new EventIdentity("evt_1", "a"));
  }

  @Test
  @DisplayName("nesting deeper than the parser's limit is a bad payload, not a stack overflow")
  void deepNesting() {
    String json = "{\"data\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"id\":\"evt\"}";
    assertThatThrownBy(() -> identity(json)).isInstanceOf(BadPayloadException.class);
  }

  @Test
  @DisplayName("either field name may be absent from the request")
  void singleField() throws BadPayloadException {
    assertThat(JsonFields.read(utf8("{\"event\":\"payment.failed\"}"), "event", null))
        .isEqualTo(new JsonFields.Found("payment.failed", null));
  }
}
