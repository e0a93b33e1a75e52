package io.tinko.engine.retry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How one decline class is recovered. JSON/YAML keys (durations are ISO-8601, e.g. {@code P14D}, {@code PT1H}):
 * <ul>
 *   <li>{@code action}: retry | customer_action | notify_merchant | give_up;</li>
 *   <li>{@code maxAttempts}: retries Tinko makes for one failed payment (the original failure not counted);</li>
 *   <li>{@code window}: no retry later than this after the payment's first failure;</li>
 *   <li>{@code schedule}: offsets of retry 1, 2, ... from the first failure (spread schedules), or</li>
 *   <li>{@code backoff}: {@code {initial, multiplier, max}}; retry n waits min(initial * multiplier^(n-1), max)
 *       after the latest failure;</li>
 *   <li>{@code jitter}: a random extra delay in [0, jitter], never negative so no floor is undercut;</li>
 *   <li>{@code notifyCustomerAfter}: after this many failed retries each further retry also emails the customer
 *       (0 = never);</li>
 *   <li>{@code whenExhausted}: what to do when attempts, window or a network limit end the retries
 *       (customer_action | notify_merchant | give_up);</li>
 *   <li>{@code localHour}: optional 0-23; a retry is moved to the next time this hour starts in the tenant's time
 *       zone (issuers approve more during the cardholder's day).</li>
 * </ul>
 * Values are checked by {@link PolicyValidator}, not here, so the merchant API can list every problem at once.
 */
public record RetryPolicy(PolicyAction action, int maxAttempts, Duration window, List<Duration> schedule,
                          Backoff backoff, Duration jitter, int notifyCustomerAfter, PolicyAction whenExhausted,
                          Integer localHour) {

  /** Exponential backoff from the latest failure; the multiplier is a plain factor, not money. */
  public record Backoff(Duration initial, double multiplier, Duration max) {
    public Backoff {
      Objects.requireNonNull(initial, "backoff.initial");
      Objects.requireNonNull(max, "backoff.max");
    }
  }

  private static final Set<String> KEYS = Set.of("action", "maxAttempts", "window", "schedule", "backoff", "jitter",
      "notifyCustomerAfter", "whenExhausted", "localHour");

  public RetryPolicy {
    Objects.requireNonNull(action, "action");
    window = window == null ? Duration.ZERO : window;
    schedule = schedule == null ? List.of() : List.copyOf(schedule);
    jitter = jitter == null ? Duration.ZERO : jitter;
    whenExhausted = whenExhausted == null ? PolicyAction.GIVE_UP : whenExhausted;
  }

  /** A policy that never retries and does {@code action} at once. */
  public static RetryPolicy noRetry(PolicyAction action) {
    return new RetryPolicy(action, 0, Duration.ZERO, List.of(), null, Duration.ZERO, 0, action, null);
  }

  public boolean retries() {
    return action == PolicyAction.RETRY;
  }

  /**
   * Parses a policy object (from the YAML defaults or a tenant's stored JSON).
   *
   * @throws IllegalArgumentException naming the key when a key is unknown or a value has the wrong shape
   */
  public static RetryPolicy fromJson(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
      }
    }
    PolicyAction action = PolicyAction.fromConfig(required(json, "action"));
    Backoff backoff = null;
    JsonObject b = json.getJsonObject("backoff");
    if (b != null) {
      backoff = new Backoff(duration("backoff.initial", b.getValue("initial")), number("backoff.multiplier",
          b.getValue("multiplier"), 2.0), duration("backoff.max", b.getValue("max")));
    }
    List<Duration> schedule = new ArrayList<>();
    JsonArray s = json.getJsonArray("schedule");
    if (s != null) {
      for (int i = 0; i < s.size(); i++) {
        schedule.add(duration("schedule[" + i + "]", s.getValue(i)));
      }
    }
    String exhausted = json.getString("whenExhausted");
    return new RetryPolicy(action, (int) number("maxAttempts", json.getValue("maxAttempts"), 0),
        optionalDuration("window", json.getValue("window")), schedule, backoff,
        optionalDuration("jitter", json.getValue("jitter")),
        (int) number("notifyCustomerAfter", json.getValue("notifyCustomerAfter"), 0),
        exhausted == null ? null : PolicyAction.fromConfig(exhausted),
        json.getValue("localHour") == null ? null : (int) number("localHour", json.getValue("localHour"), 0));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("action", action.configName());
    if (!retries()) {
      return json;
    }
    json.put("maxAttempts", maxAttempts).put("window", window.toString());
    if (!schedule.isEmpty()) {
      JsonArray s = new JsonArray();
      schedule.forEach(d -> s.add(d.toString()));
      json.put("schedule", s);
    }
    if (backoff != null) {
      json.put("backoff", new JsonObject().put("initial", backoff.initial().toString())
          .put("multiplier", backoff.multiplier()).put("max", backoff.max().toString()));
    }
    json.put("jitter", jitter.toString()).put("notifyCustomerAfter", notifyCustomerAfter)
        .put("whenExhausted", whenExhausted.configName());
    if (localHour != null) {
      json.put("localHour", localHour);
    }
    return json;
  }

  private static String required(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("'" + key + "' is required and must be a string");
    }
    return s;
  }

  private static double number(String key, Object v, double dflt) {
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("'" + key + "' must be a number, got '" + v + "'");
    }
    return n.doubleValue();
  }

  private static Duration optionalDuration(String key, Object v) {
    return v == null ? null : duration(key, v);
  }

  static Duration duration(String key, Object v) {
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("'" + key + "' must be an ISO-8601 duration such as P14D or PT1H");
    }
    try {
      return Duration.parse(s.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + key + "': '" + s + "' is not an ISO-8601 duration such as P14D or PT1H",
          e);
    }
  }
}
