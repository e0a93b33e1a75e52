package io.tinko.engine.dunning;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a dunning email's subject, HTML and plain-text parts from the layouts in resources dunning/email.html and
 * dunning/email.txt and the texts of {@link Messages}. {{name}} is replaced (HTML-escaped in the HTML part, which is
 * kept to ASCII with character references: see {@link Html#escapeAscii}),
 * {{raw:name}} is inserted as built here. The layouts are split into literal text and variables once, at start-up;
 * rendering appends them: cheap enough for an event loop.
 */
public final class EmailRenderer {
  /** What one email says; amounts in minor units with the exponent the PSP counted them in. */
  public record Context(String template, String declineClass, String localeTag, String merchant, String logoUrl,
                        String supportEmail, long amountMinor, String currency, int exponent, String link,
                        String unsubscribeLink, long linkDays) {}

  /** A rendered email. */
  public record Email(String subject, String html, String text, String language) {}

  private static final Pattern VAR = Pattern.compile("\\{\\{(raw:)?([A-Za-z]+)}}");
  private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");
  private static final Pattern WEB_URL = Pattern.compile("https?://\\S+");
  private final Messages messages;
  private final List<Segment> html;
  private final List<Segment> text;

  /** A layout split once at start-up: literal text, or a {{name}} / {{raw:name}} to fill. */
  private record Segment(String literal, String var, boolean raw) {}

  private EmailRenderer(Messages messages, String html, String text) {
    this.messages = messages;
    this.html = split(html);
    this.text = split(text);
  }

  /** Blocking: reads the layouts from the classpath (start-up). */
  public static EmailRenderer load(Messages messages) {
    return new EmailRenderer(messages, resource("dunning/email.html"), resource("dunning/email.txt"));
  }

  public Messages messages() {
    return messages;
  }

  public Email render(Context c) {
    String lang = Messages.language(c.localeTag());
    Map<String, String> vars = new HashMap<>();
    vars.put("merchant", c.merchant());
    vars.put("amount", amount(c));
    vars.put("support", c.supportEmail() == null ? "" : c.supportEmail());
    vars.put("days", Long.toString(c.linkDays()));
    Map<String, String> v = new HashMap<>();
    v.put("lang", lang);
    v.put("merchant", c.merchant());
    v.put("subject", messages.text(lang, c.template() + ".subject", vars));
    v.put("greeting", messages.text(lang, "greeting", vars));
    v.put("body", messages.text(lang, c.template() + ".body", vars));
    v.put("reason", messages.text(lang, "reason." + c.declineClass(), vars));
    v.put("button", messages.text(lang, c.template() + ".button", vars));
    v.put("expiry", messages.text(lang, "expiry", vars));
    v.put("support", c.supportEmail() == null || c.supportEmail().isBlank() ? ""
        : messages.text(lang, "support", vars));
    v.put("unsubscribe", messages.text(lang, "unsubscribe", vars));
    v.put("link", c.link());
    v.put("unsubscribeLink", c.unsubscribeLink());
    String logo = c.logoUrl() == null || !WEB_URL.matcher(c.logoUrl()).matches() ? ""
        : "<img src=\"" + Html.escapeAscii(c.logoUrl()) + "\" alt=\"" + Html.escapeAscii(c.merchant())
            + "\" style=\"max-height:48px;margin-bottom:16px\">";
    return new Email(v.get("subject"), fill(html, v, logo, true), fill(text, v, logo, false), lang);
  }

  /** The amount for the customer's locale, e.g. ¥1,500 / ₹12,34,567.89 / 1.234,56 €. */
  public static String amount(Context c) {
    return MoneyFormat.format(c.amountMinor(), c.currency(), c.exponent(), Messages.formattingLocale(c.localeTag()));
  }

  private static String fill(List<Segment> layout, Map<String, String> v, String logo, boolean escape) {
    StringBuilder out = new StringBuilder(2048);
    for (Segment seg : layout) {
      if (seg.literal() != null) {
        out.append(seg.literal());
      } else if (seg.raw()) {
        out.append("logo".equals(seg.var()) && escape ? logo : "");
      } else {
        String value = v.getOrDefault(seg.var(), "");
        if (escape) {
          Html.appendEscaped(out, value, true);
        } else {
          out.append(value);
        }
      }
    }
    String filled = out.toString();
    return filled.contains("\n\n\n") ? BLANK_LINES.matcher(filled).replaceAll("\n\n") : filled;
  }

  private static List<Segment> split(String layout) {
    List<Segment> out = new ArrayList<>();
    Matcher m = VAR.matcher(layout);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) {
        out.add(new Segment(layout.substring(at, m.start()), null, false));
      }
      out.add(new Segment(null, m.group(2), m.group(1) != null));
      at = m.end();
    }
    if (at < layout.length()) {
      out.add(new Segment(layout.substring(at), null, false));
    }
    return List.copyOf(out);
  }

  private static String resource(String name) {
    try (InputStream in = EmailRenderer.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }
}
