package io.tinko.gateway.webhook.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinko.common.config.ConfigException;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.domain.Psp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Webhook scheme factory")
@ExtendWith(VertxExtension.class)
class WebhookSchemesTest {

  private static TinkoConfig config(String trustStore) {
    return config(trustStore, "");
  }

  private static TinkoConfig config(String trustStore, String fetchTrustStore) {
    return new TinkoConfig(new JsonObject().put("webhooks", new JsonObject()
        .put("stripeToleranceSeconds", 300).put("standardToleranceSeconds", 300).put("paypalToleranceSeconds", 300)
        .put("paypal", new JsonObject().put("certHosts", new JsonArray().add("api.paypal.com"))
            .put("trustStore", trustStore).put("fetchTrustStore", fetchTrustStore).put("certCacheSeconds", 86400))));
  }

  @Test
  @DisplayName("every verticle gets its own scheme instances for the four PSPs")
  void perVerticle(Vertx vertx) {
    Function<Vertx, Map<Psp, WebhookScheme>> factory = WebhookSchemes.factory(config(""));
    Map<Psp, WebhookScheme> a = factory.apply(vertx);
    Map<Psp, WebhookScheme> b = factory.apply(vertx);
    assertThat(a).containsOnlyKeys(Psp.STRIPE, Psp.RAZORPAY, Psp.PAYPAL, Psp.STANDARD);
    a.forEach((psp, scheme) -> {
      assertThat(scheme.psp()).isEqualTo(psp);
      assertThat(b.get(psp)).isNotSameAs(scheme);
    });
  }

  @Test
  @DisplayName("an unreadable PayPal trust store fails start-up with a configuration error")
  void badTrustStore() {
    assertThatThrownBy(() -> WebhookSchemes.factory(config("/nonexistent/cas.pem")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("webhooks.paypal.trustStore");
    assertThatThrownBy(() -> WebhookSchemes.factory(config("", "/nonexistent/tls-cas.pem")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("webhooks.paypal.fetchTrustStore");
  }

  @Test
  @DisplayName("a factory refuses a second Vertx, since its certificate cache belongs to the first")
  void oneVertx(Vertx vertx) {
    Function<Vertx, Map<Psp, WebhookScheme>> factory = WebhookSchemes.factory(config(""));
    factory.apply(vertx);
    Vertx other = Vertx.vertx();
    try {
      assertThatThrownBy(() -> factory.apply(other)).isInstanceOf(IllegalStateException.class);
    } finally {
      other.close();
    }
  }
}
