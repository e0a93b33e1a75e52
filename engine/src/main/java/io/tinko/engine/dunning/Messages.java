package io.tinko.engine.dunning;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Customer-facing texts in every supported language (resources dunning/messages_<lang>.properties, UTF-8), with
 * English as the fallback for a missing language and for a missing key. Loaded once at start (blocking).
 */
public final class Messages {
  public static final List<String> LANGUAGES = List.of("en", "hi", "es");
  private final Map<String, Properties> byLanguage = new HashMap<>();

  private Messages() {}

  public static Messages load() {
    Messages m = new Messages();
    for (String lang : LANGUAGES) {
      String name = "dunning/messages_" + lang + ".properties";
      try (InputStream in = Messages.class.getClassLoader().getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException(name + " is missing from the classpath");
        }
        Properties p = new Properties();
        p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        m.byLanguage.put(lang, p);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + name, e);
      }
    }
    return m;
  }

  /** The customer's locale tag (hi-IN, es_MX, es, fr...) to one we write in; English when we have no texts for it. */
  public static String language(String localeTag) {
    Locale l = locale(localeTag);
    return LANGUAGES.contains(l.getLanguage()) ? l.getLanguage() : "en";
  }

  /** The locale amounts are formatted in: the customer's own when we write their language, else English. */
  public static Locale locale(String localeTag) {
    if (localeTag == null || localeTag.isBlank()) {
      return Locale.ENGLISH;
    }
    Locale l = Locale.forLanguageTag(localeTag.trim().replace('_', '-'));
    return l.getLanguage().isEmpty() ? Locale.ENGLISH : l;
  }

  public static Locale formattingLocale(String localeTag) {
    Locale l = locale(localeTag);
    return LANGUAGES.contains(l.getLanguage()) ? l : Locale.ENGLISH;
  }

  /** Whether {@code lang}'s own file has {@code key} (completeness tests; lookups fall back to English). */
  public boolean defines(String lang, String key) {
    Properties p = byLanguage.get(lang);
    return p != null && p.getProperty(key) != null && !p.getProperty(key).isBlank();
  }

  /** The text of {@code key} in {@code lang} with {name} placeholders filled from {@code vars}. */
  public String text(String lang, String key, Map<String, String> vars) {
    String s = byLanguage.getOrDefault(lang, byLanguage.get("en")).getProperty(key);
    if (s == null) {
      s = byLanguage.get("en").getProperty(key);
    }
    if (s == null) {
      throw new IllegalArgumentException("no text for " + key);
    }
    for (Map.Entry<String, String> v : vars.entrySet()) {
      s = s.replace("{" + v.getKey() + "}", v.getValue() == null ? "" : v.getValue());
    }
    return s;
  }
}
