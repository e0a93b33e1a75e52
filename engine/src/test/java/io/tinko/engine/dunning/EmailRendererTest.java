package io.tinko.engine.dunning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Templates in each language, with amounts in the currency's exponent and the customer's locale. */
class EmailRendererTest {
  private static final EmailRenderer RENDERER = EmailRenderer.load(Messages.load());

  private static EmailRenderer.Email render(String template, String locale, long minor, String currency, int exp,
                                            String merchant) {
    return RENDERER.render(new EmailRenderer.Context(template, "FIX_DATA", locale, merchant,
        "https://cdn.example.com/logo.png", "help@example.com", minor, currency, exp,
        "https://pay.example.com/r/tok", "https://pay.example.com/r/stop/stop", 7));
  }

  @ParameterizedTest(name = "{0}: {1} {2} -> {4}")
  @CsvSource(delimiter = '|', value = {
      "en-US | 150000 | JPY | 0 | ¥150,000",
      "ja-JP | 150000 | JPY | 0 | ¥150,000",
      "hi-IN | 12345678 | INR | 2 | ₹1,23,456.78",
      "en-IN | 1234567890 | INR | 2 | ₹1,23,45,678.90",
      "es-ES | 123456 | EUR | 2 | 1.234,56 €",
      "es | 4900 | EUR | 2 | 49,00 €",
      "en | 4900 | EUR | 2 | €49.00",
      "hi | 150000 | JPY | 0 | ¥1,50,000"})
  @DisplayName("amounts: minor units to major with the currency exponent, written the customer's way")
  void amounts(String locale, long minor, String currency, int exp, String expected) {
    EmailRenderer.Email e = render("update_payment", locale, minor, currency, exp, "Acme");
    // CLDR puts a no-break space between a Spanish amount and its symbol; the expectations write a plain one
    assertThat(e.text().replace('\u00a0', ' ')).contains(expected);
    assertThat(unescape(e.html()).replace('\u00a0', ' ')).contains(expected);
    assertThat(e.subject()).contains("Acme");
  }

  @Test
  @DisplayName("English, Hindi and Spanish texts by the customer's locale; unknown languages fall back to English")
  void languages() {
    EmailRenderer.Email hi = render("update_payment", "hi-IN", 49900, "INR", 2, "Acme");
    assertThat(hi.language()).isEqualTo("hi");
    assertThat(hi.subject()).isEqualTo("कार्रवाई ज़रूरी: Acme के लिए अपना कार्ड अपडेट करें");
    assertThat(hi.text()).contains("₹499.00").contains("भुगतान विवरण अपडेट करें: https://pay.example.com/r/tok");
    assertThat(hi.html()).contains("lang=\"hi\"");

    EmailRenderer.Email es = render("final_notice", "es_ES", 4900, "EUR", 2, "Acme");
    assertThat(es.language()).isEqualTo("es");
    assertThat(es.subject()).isEqualTo("Último aviso: tu pago de 49,00\u00a0€ a Acme");

    EmailRenderer.Email fr = render("reminder", "fr-FR", 4900, "EUR", 2, "Acme");
    assertThat(fr.language()).isEqualTo("en");
    assertThat(fr.subject()).isEqualTo("Reminder: your payment of €49.00 to Acme is still due");
    assertThat(render("reminder", null, 4900, "EUR", 2, "Acme").language()).isEqualTo("en");
  }

  @Test
  @DisplayName("both parts carry the payment link, the unsubscribe link, the support address and the reason")
  void parts() {
    EmailRenderer.Email e = render("authenticate", "en", 2000, "USD", 2, "Acme");
    for (String part : new String[] {e.text(), e.html()}) {
      assertThat(part).contains("https://pay.example.com/r/tok").contains("https://pay.example.com/r/stop/stop")
          .contains("help@example.com").contains("out of date or incorrect").contains("7 days");
    }
    assertThat(e.html()).contains("<img src=\"https://cdn.example.com/logo.png\"");
    assertThat(e.text()).doesNotContain("<img").doesNotContain("{{");
  }

  @Test
  @DisplayName("the HTML part is ASCII: Hindi text, currency signs and a merchant's accents go as character references")
  void htmlIsAscii() {
    EmailRenderer.Email hi = render("update_payment", "hi-IN", 49900, "INR", 2, "Café Ünïcode 😀");
    assertThat(hi.html().chars().filter(c -> c > 126).count()).isZero();
    assertThat(hi.html()).contains("&#x20b9;499.00").contains("alt=\"Caf&#xe9; &#xdc;n&#xef;code &#x1f600;\"");
    assertThat(unescape(hi.html())).contains("<title>" + hi.subject() + "</title>").contains("Café Ünïcode 😀");
    // the plain-text part stays UTF-8 as it is
    assertThat(hi.text()).contains("₹499.00").contains("Café Ünïcode 😀");
  }

  private static final Pattern CHAR_REF = Pattern.compile("&#x([0-9a-f]+);");

  /** Character references back to characters, as a mail reader shows them. */
  private static String unescape(String html) {
    return CHAR_REF.matcher(html)
        .replaceAll(m -> Matcher.quoteReplacement(Character.toString(Integer.parseInt(m.group(1), 16))));
  }

  @Test
  @DisplayName("a merchant name with markup is escaped in the HTML part")
  void escaping() {
    EmailRenderer.Email e = render("reminder", "en", 100, "USD", 2, "<script>x</script> & Co");
    assertThat(e.html()).doesNotContain("<script>").contains("&lt;script&gt;x&lt;/script&gt; &amp; Co");
  }

  @Test
  @DisplayName("every language's own file has every key the English one has")
  void complete() throws Exception {
    Messages m = Messages.load();
    java.util.Properties en = new java.util.Properties();
    try (var in = getClass().getClassLoader().getResourceAsStream("dunning/messages_en.properties")) {
      en.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
    }
    for (String t : DunningSequences.TEMPLATES) {
      assertThat(en.stringPropertyNames()).contains(t + ".subject", t + ".body", t + ".button");
    }
    for (String lang : Messages.LANGUAGES) {
      for (String key : en.stringPropertyNames()) {
        assertThat(m.defines(lang, key)).as(lang + " " + key).isTrue();
      }
    }
    assertThat(MoneyFormat.indianGrouping(Locale.forLanguageTag("en-GB"))).isFalse();
  }
}
