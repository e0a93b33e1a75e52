package io.tinko.gateway.recovery;

import io.tinko.engine.dunning.EmailRenderer;
import io.tinko.engine.dunning.Html;
import io.tinko.engine.dunning.Messages;
import io.tinko.engine.normalize.Currencies;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import java.util.Map;

/**
 * The customer-facing HTML of /r/: the payment page, and the friendly pages for every other outcome. Texts come
 * from the same localized messages as the emails, in the customer's language; everything inserted is escaped.
 * Error pages name no merchant, amount or customer: a bad token shows nothing about anyone.
 */
final class Pages {
  private final Messages messages;

  Pages(Messages messages) {
    this.messages = messages;
  }

  /** The payment page: merchant, amount, what failed in plain words, and the button to the PSP's hosted page. */
  void payment(RoutingContext ctx, Row link, String token) {
    String lang = Messages.language(link.getString("customer_locale"));
    Map<String, String> v = vars(link);
    String amount = amount(link);
    String body = "<dl><dt>" + t(lang, "page.amount", v) + "</dt><dd id=\"amount\">" + Html.escape(amount)
        + "</dd><dt>" + t(lang, "page.what", v) + "</dt><dd id=\"reason\">"
        + t(lang, "reason." + link.getString("decline_class"), v) + "</dd></dl>"
        + "<form method=\"post\" action=\"/r/" + Html.escape(token) + "/pay\">"
        + "<button id=\"pay\" type=\"submit\">" + t(lang, button(link) + ".button", v) + "</button></form>"
        + "<p class=\"small\">" + t(lang, "page.secure", v) + "</p>";
    send(ctx, 200, lang, link, t(lang, "page.title", v), body);
  }

  void unsubscribeConfirm(RoutingContext ctx, Row link, String token) {
    String lang = Messages.language(link.getString("customer_locale"));
    Map<String, String> v = vars(link);
    String body = "<form method=\"post\" action=\"/r/" + Html.escape(token) + "/stop\">"
        + "<button id=\"stop\" type=\"submit\">" + t(lang, "page.unsubscribe.button", v) + "</button></form>";
    send(ctx, 200, lang, link, t(lang, "page.unsubscribe.title", v), body);
  }

  /** A page of one title and one paragraph ({@code key}.title, {@code key}.body) about this payment. */
  void message(RoutingContext ctx, int status, Row link, String key) {
    String lang = Messages.language(link.getString("customer_locale"));
    Map<String, String> v = vars(link);
    send(ctx, status, lang, link, t(lang, key + ".title", v), "<p>" + t(lang, key + ".body", v) + "</p>");
  }

  /** The page for a token that is not good: in English (the token's locale is not trusted), about nobody. */
  void invalid(RoutingContext ctx, int status) {
    send(ctx, status, "en", null, t("en", "page.invalid.title", Map.of()),
        "<p>" + t("en", "page.invalid.body", Map.of()) + "</p>");
  }

  /** Our own trouble (storage down): "try again shortly", about nobody. */
  void trouble(RoutingContext ctx) {
    send(ctx, 503, "en", null, t("en", "page.unavailable.title", Map.of()),
        "<p>" + t("en", "page.unavailable.body", Map.of()) + "</p>");
  }

  void unavailable(RoutingContext ctx, Row link) {
    message(ctx, 503, link, "page.unavailable");
  }

  private String button(Row link) {
    return switch (String.valueOf(link.getString("decline_class"))) {
      case "AUTH_REQUIRED" -> "authenticate";
      case "NEVER", "CUSTOMER_ENABLE" -> "new_method";
      case "FIX_DATA" -> "update_payment";
      default -> "retry_failed";
    };
  }

  private String t(String lang, String key, Map<String, String> vars) {
    return Html.escape(messages.text(lang, key, vars));
  }

  private static Map<String, String> vars(Row link) {
    return Map.of("merchant", merchant(link), "amount", amount(link),
        "support", link.getString("support_email") == null ? "" : link.getString("support_email"));
  }

  private static String merchant(Row link) {
    String d = link.getString("display_name");
    return d != null && !d.isBlank() ? d : link.getString("name");
  }

  private static String amount(Row link) {
    Long minor = link.getLong("amount_minor");
    String currency = link.getString("currency");
    if (minor == null || currency == null) {
      return "";
    }
    Short exp = link.getShort("amount_exponent");
    String code = currency.trim();
    return EmailRenderer.amount(new EmailRenderer.Context("reminder", "", link.getString("customer_locale"), "", null,
        null, minor, code, exp != null ? exp : Currencies.isoExponent(code), "", "", 0));
  }

  private static void send(RoutingContext ctx, int status, String lang, Row link, String title, String body) {
    String logo = link == null || link.getString("logo_url") == null
        || !link.getString("logo_url").matches("https?://\\S+") ? ""
        : "<img src=\"" + Html.escape(link.getString("logo_url")) + "\" alt=\"\" style=\"max-height:48px\">";
    String merchant = link == null ? "" : "<p id=\"merchant\" class=\"merchant\">" + Html.escape(merchant(link))
        + "</p>";
    String html = "<!DOCTYPE html><html lang=\"" + lang + "\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" "
        + "content=\"noindex\"><title>" + title + "</title><style>body{font-family:Arial,Helvetica,sans-serif;"
        + "background:#f4f5f7;color:#1f2933;margin:0}main{max-width:480px;margin:40px auto;background:#fff;"
        + "border-radius:8px;padding:32px}button{background:#2563eb;color:#fff;border:0;border-radius:6px;"
        + "padding:12px 24px;font-size:16px;cursor:pointer}.small{font-size:13px;color:#52606d}"
        + ".merchant{font-weight:bold}</style></head><body><main>" + logo + merchant + "<h1 id=\"title\">" + title
        + "</h1>" + body + "</main></body></html>";
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store").putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY").end(html);
  }
}
