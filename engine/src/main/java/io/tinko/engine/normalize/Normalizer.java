package io.tinko.engine.normalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinko.common.domain.Psp;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Entry point: raw webhook bytes of any PSP to a {@link NormalizedEvent}. Pure and thread-safe; one instance can be
 * shared by every verticle. The sandbox PSP speaks Tinko's generic payload, like Standard Webhooks.
 */
public final class Normalizer {
  // Payload amounts are integers or strings; floats must never be read as double, so BigDecimal if one appears.
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final Map<Psp, PspNormalizer> byPsp;

  public Normalizer() {
    this.byPsp = Map.of(
        Psp.STRIPE, new StripeNormalizer(),
        Psp.RAZORPAY, new RazorpayNormalizer(),
        Psp.PAYPAL, new PaypalNormalizer(),
        Psp.STANDARD, new StandardNormalizer(Psp.STANDARD),
        Psp.SANDBOX, new StandardNormalizer(Psp.SANDBOX));
  }

  /**
   * @param eventType the type the gateway stored; null to read it from the payload
   * @throws NormalizationException when the body is not JSON or a handled type lacks what it must carry
   */
  public NormalizedEvent normalize(Psp psp, UUID orgId, String eventType, byte[] rawBody) {
    Objects.requireNonNull(psp, "psp");
    Objects.requireNonNull(orgId, "orgId");
    JsonNode root = parse(psp, rawBody);
    PspNormalizer normalizer = byPsp.get(psp);
    String type = eventType != null && !eventType.isBlank() ? eventType : normalizer.eventTypeOf(root);
    try {
      return normalizer.normalize(orgId, type, root);
    } catch (IllegalArgumentException e) {
      // Currencies and Money reject bad amounts with IllegalArgumentException; callers see one exception type.
      throw new NormalizationException(psp.id() + " " + type + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode parse(Psp psp, byte[] rawBody) {
    if (rawBody == null || rawBody.length == 0) {
      throw new NormalizationException(psp.id() + " webhook body is empty");
    }
    try {
      JsonNode root = MAPPER.readTree(rawBody);
      if (root == null || !root.isObject()) {
        throw new NormalizationException(psp.id() + " webhook body is not a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new NormalizationException(psp.id() + " webhook body is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new NormalizationException(psp.id() + " webhook body cannot be read: " + e.getMessage(), e);
    }
  }
}
