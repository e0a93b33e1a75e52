package io.tinko.engine.retry;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;

/**
 * Card-network reattempt limits (DOMAIN.md section 4), per card at one merchant, from the {@code networkLimits}
 * section of the retry-policies file; no tenant policy can override them. Numbers live in configuration because the
 * sources disagree and the rules are dated (Visa's 15 may become 20 with the April 2026 Core Rules).
 *
 * @param visaMaxReattempts           Visa: reattempts (any outcome) per card in {@code visaWindow}
 * @param mastercardMaxDeclines       Mastercard: declines per card in {@code mastercardDeclineWindow}
 * @param mastercardMaxSameAmount     Mastercard: declines per card and amount in {@code mastercardSameAmountWindow}
 */
public record NetworkLimits(int visaMaxReattempts, Duration visaWindow, int mastercardMaxDeclines,
                            Duration mastercardDeclineWindow, int mastercardMaxSameAmount,
                            Duration mastercardSameAmountWindow) {

  public NetworkLimits {
    Objects.requireNonNull(visaWindow, "visaWindow");
    Objects.requireNonNull(mastercardDeclineWindow, "mastercardDeclineWindow");
    Objects.requireNonNull(mastercardSameAmountWindow, "mastercardSameAmountWindow");
    if (visaMaxReattempts < 0 || mastercardMaxDeclines < 0 || mastercardMaxSameAmount < 0) {
      throw new IllegalArgumentException("network limits cannot be negative");
    }
  }

  /**
   * Reads {@code {visa: {maxReattempts, window}, mastercard: {maxDeclines, declineWindow, maxSameAmountDeclines,
   * sameAmountWindow}}}; every key is required, so a limit cannot be dropped by accident.
   */
  public static NetworkLimits fromJson(JsonObject json) {
    JsonObject visa = section(json, "visa");
    JsonObject mc = section(json, "mastercard");
    return new NetworkLimits(count(visa, "visa.maxReattempts", "maxReattempts"),
        RetryPolicy.duration("visa.window", visa.getValue("window")),
        count(mc, "mastercard.maxDeclines", "maxDeclines"),
        RetryPolicy.duration("mastercard.declineWindow", mc.getValue("declineWindow")),
        count(mc, "mastercard.maxSameAmountDeclines", "maxSameAmountDeclines"),
        RetryPolicy.duration("mastercard.sameAmountWindow", mc.getValue("sameAmountWindow")));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("visa", new JsonObject().put("maxReattempts", visaMaxReattempts).put("window", visaWindow.toString()))
        .put("mastercard", new JsonObject().put("maxDeclines", mastercardMaxDeclines)
            .put("declineWindow", mastercardDeclineWindow.toString())
            .put("maxSameAmountDeclines", mastercardMaxSameAmount)
            .put("sameAmountWindow", mastercardSameAmountWindow.toString()));
  }

  private static JsonObject section(JsonObject json, String key) {
    JsonObject s = json == null ? null : json.getJsonObject(key);
    if (s == null) {
      throw new IllegalArgumentException("networkLimits." + key + " is missing");
    }
    return s;
  }

  private static int count(JsonObject json, String path, String key) {
    Object v = json.getValue(key);
    if (!(v instanceof Integer || v instanceof Long)) {
      throw new IllegalArgumentException("networkLimits." + path + " must be a whole number");
    }
    return ((Number) v).intValue();
  }
}
