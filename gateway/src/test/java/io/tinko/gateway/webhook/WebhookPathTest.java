package io.tinko.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.gateway.webhook.verify.StripeScheme;
import io.tinko.gateway.webhook.verify.WebhookScheme;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookPathTest {
  @Test
  @DisplayName("a plain webhook path gives its PSP and endpoint id")
  void plain() {
    assertThat(WebhookPath.parse("/v1/webhooks/stripe/ep_lt_stripe"))
        .isEqualTo(new WebhookPath("stripe", "ep_lt_stripe"));
    assertThat(WebhookPath.parse("/v1/webhooks/adyen/A-b.c~9")).isEqualTo(new WebhookPath("adyen", "A-b.c~9"));
    assertThat(WebhookPath.parse("/v1/webhooks/stripe/...")).isEqualTo(new WebhookPath("stripe", "..."));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/", "/v1/webhooks", "/v1/webhooks/", "/v1/webhooks/stripe", "/v1/webhooks/stripe/",
      "/v1/webhooks//ep", "/v1/webhooks/stripe/ep/", "/v1/webhooks/stripe/ep/x", "/v1/webhooks/stripe/ep%5F1",
      "/v1/webhooks/str%69pe/ep", "/v1/webhooks/./ep", "/v1/webhooks/../ep", "/v1/webhooks/stripe/.",
      "/v1/webhooks/stripe/..", "/V1/webhooks/stripe/ep", "/v1/Webhooks/stripe/ep", "/v2/webhooks/stripe/ep",
      "/v1/webhooks/stripe/ep 1", "/v1/webhooks/stripe/ep+1", "/v1/webhooks/stripe/ép", "//v1/webhooks/stripe/ep",
      "/v1/webhooks/stripe/ep;x=1", "/v1/webhooks/stripe/ep?x=1", "/v1/webhooks/stripe/ep#x"})
  @DisplayName("anything that is not a plain two-segment path is left to the router")
  void leftToTheRouter(String path) {
    assertThat(WebhookPath.parse(path)).isNull();
  }

  @Test
  @DisplayName("null is not a webhook path")
  void nullPath() {
    assertThat(WebhookPath.parse(null)).isNull();
  }

  @Test
  @DisplayName("the declared body length is read as vertx-web's body handler reads it")
  void declaredLength() {
    assertThat(WebhookHandler.declaredLength(null)).isEqualTo(-1);
    assertThat(WebhookHandler.declaredLength("")).isEqualTo(-1);
    assertThat(WebhookHandler.declaredLength("-5")).isEqualTo(-1);
    assertThat(WebhookHandler.declaredLength("x")).isEqualTo(-1);
    assertThat(WebhookHandler.declaredLength(" 12")).isEqualTo(-1);
    assertThat(WebhookHandler.declaredLength("0")).isZero();
    assertThat(WebhookHandler.declaredLength("1716")).isEqualTo(1716);
    assertThat(WebhookHandler.declaredLength("99999999999")).isEqualTo(99_999_999_999L);
  }

  @Test
  @DisplayName("signature headers are stored as the same JSON object, whether or not a value needs escaping")
  void signatureHeaders() {
    WebhookScheme stripe = new StripeScheme(300);
    MultiMap plain = MultiMap.caseInsensitiveMultiMap().add("stripe-signature", "t=1,v1=abc").add("Other", "x");
    assertThat(WebhookHandler.signatureHeaders(stripe, plain)).isEqualTo("{\"Stripe-Signature\":\"t=1,v1=abc\"}");
    MultiMap odd = MultiMap.caseInsensitiveMultiMap().add("Stripe-Signature", "t=1,\"v1\"=a\\b\u00e9\u0001");
    assertThat(new JsonObject(WebhookHandler.signatureHeaders(stripe, odd)).getString("Stripe-Signature"))
        .isEqualTo("t=1,\"v1\"=a\\b\u00e9\u0001");
    assertThat(WebhookHandler.signatureHeaders(stripe, MultiMap.caseInsensitiveMultiMap())).isEqualTo("{}");
  }
}
