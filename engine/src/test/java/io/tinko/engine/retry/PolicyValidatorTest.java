package io.tinko.engine.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Policy validation for the merchant API")
class PolicyValidatorTest {
  private static final NetworkLimits LIMITS = new NetworkLimits(15, Duration.ofDays(30), 10, Duration.ofHours(24), 35,
      Duration.ofDays(30));

  private static RetryPolicy policy(String json) {
    return RetryPolicy.fromJson(new JsonObject(json));
  }

  private static List<String> rules(String key, RetryPolicy p, NetworkLimits limits) {
    return PolicyValidator.validate(key, p, limits).stream().map(Violation::rule).toList();
  }

  private static String daily(int n) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 1; i <= n; i++) {
      s.append(i > 1 ? "," : "").append("\"P").append(i).append("D\"");
    }
    return s.append("]").toString();
  }

  @Test
  @DisplayName("16 daily retries within 30 days break Visa's 15 reattempts; 15 do not")
  void visa() {
    RetryPolicy sixteen = policy("{\"action\":\"retry\",\"maxAttempts\":16,\"window\":\"P20D\",\"schedule\":"
        + daily(16) + "}");
    assertThat(rules("RETRY_LATER", sixteen, LIMITS)).containsExactly("visa.reattempts");
    RetryPolicy fifteen = policy("{\"action\":\"retry\",\"maxAttempts\":15,\"window\":\"P20D\",\"schedule\":"
        + daily(15) + "}");
    assertThat(PolicyValidator.validate("RETRY_LATER", fifteen, LIMITS)).isEmpty();
  }

  @Test
  @DisplayName("hourly retries break Mastercard's 10 declines in 24 h, counting the original decline")
  void mastercardDaily() {
    RetryPolicy hourly = policy("{\"action\":\"retry\",\"maxAttempts\":10,\"window\":\"P1D\","
        + "\"backoff\":{\"initial\":\"PT1H\",\"multiplier\":1,\"max\":\"PT1H\"}}");
    assertThat(rules("TECHNICAL", hourly, LIMITS)).containsExactly("mastercard.declines");
    RetryPolicy nine = policy("{\"action\":\"retry\",\"maxAttempts\":9,\"window\":\"P1D\","
        + "\"backoff\":{\"initial\":\"PT1H\",\"multiplier\":1,\"max\":\"PT1H\"}}");
    assertThat(PolicyValidator.validate("TECHNICAL", nine, LIMITS)).isEmpty();
  }

  @Test
  @DisplayName("jitter widens the windows: retries 3 h apart comply without jitter and break with 7 h of it")
  void jitterCounts() {
    String schedule = "[\"PT3H\",\"PT6H\",\"PT9H\",\"PT12H\",\"PT15H\",\"PT18H\",\"PT21H\",\"PT24H\",\"PT27H\",\"PT30H\"]";
    RetryPolicy still = policy("{\"action\":\"retry\",\"maxAttempts\":10,\"window\":\"P2D\",\"schedule\":" + schedule
        + "}");
    assertThat(PolicyValidator.validate("TECHNICAL", still, LIMITS)).isEmpty();
    RetryPolicy jittered = policy("{\"action\":\"retry\",\"maxAttempts\":10,\"window\":\"P2D\",\"jitter\":\"PT7H\","
        + "\"schedule\":" + schedule + "}");
    assertThat(rules("TECHNICAL", jittered, LIMITS)).containsExactly("mastercard.declines");
  }

  @Test
  @DisplayName("with Visa's limit raised, 35 same-amount declines in 30 days is Mastercard's second limit")
  void mastercardSameAmount() {
    NetworkLimits loose = new NetworkLimits(100, Duration.ofDays(30), 10, Duration.ofHours(24), 35,
        Duration.ofDays(30));
    RetryPolicy many = policy("{\"action\":\"retry\",\"maxAttempts\":35,\"window\":\"P30D\","
        + "\"backoff\":{\"initial\":\"PT18H\",\"multiplier\":1,\"max\":\"PT18H\"}}");
    assertThat(rules("RETRY_LATER", many, loose)).containsExactly("mastercard.same_amount_declines");
  }

  @Test
  @DisplayName("NEVER may not retry at all, and the customer-action classes may not retry blindly")
  void classRules() {
    RetryPolicy retry = policy("{\"action\":\"retry\",\"maxAttempts\":1,\"window\":\"P2D\",\"schedule\":[\"P1D\"]}");
    assertThat(rules("NEVER", retry, LIMITS)).containsExactly("never_class");
    for (String key : List.of("FIX_DATA", "AUTH_REQUIRED", "CUSTOMER_ENABLE", "MERCHANT_CONFIG")) {
      assertThat(rules(key, retry, LIMITS)).as(key).containsExactly("no_blind_retry");
    }
    assertThat(PolicyValidator.validate("NEVER", RetryPolicy.noRetry(PolicyAction.GIVE_UP), LIMITS)).isEmpty();
  }

  @Test
  @DisplayName("malformed retry policies are reported field by field")
  void shape() {
    assertThat(PolicyValidator.validate("RETRY_LATER", policy("{\"action\":\"retry\",\"maxAttempts\":3,"
        + "\"window\":\"P10D\",\"schedule\":[\"P2D\",\"P1D\"]}"), LIMITS))
        .extracting(Violation::field).contains("RETRY_LATER.schedule[1]", "RETRY_LATER.schedule");
    assertThat(PolicyValidator.validate("RETRY_LATER", policy("{\"action\":\"retry\",\"maxAttempts\":1,"
        + "\"window\":\"P1D\",\"schedule\":[\"P3D\"]}"), LIMITS))
        .extracting(Violation::message).anyMatch(m -> m.contains("after the window"));
    assertThat(PolicyValidator.validate("RETRY_LATER", policy("{\"action\":\"retry\",\"maxAttempts\":1,"
        + "\"window\":\"P1D\",\"schedule\":[\"PT1H\"],\"backoff\":{\"initial\":\"PT1H\",\"max\":\"PT2H\"}}"), LIMITS))
        .extracting(Violation::message).anyMatch(m -> m.contains("exactly one of schedule and backoff"));
    assertThat(PolicyValidator.validate("TECHNICAL", policy("{\"action\":\"retry\",\"maxAttempts\":0,"
        + "\"window\":\"PT0S\",\"localHour\":24,\"whenExhausted\":\"retry\",\"jitter\":\"-PT1M\","
        + "\"backoff\":{\"initial\":\"PT2H\",\"multiplier\":0.5,\"max\":\"PT1H\"}}"), LIMITS))
        .extracting(Violation::field).containsExactlyInAnyOrder("TECHNICAL.maxAttempts", "TECHNICAL.window",
            "TECHNICAL.jitter", "TECHNICAL.localHour", "TECHNICAL.whenExhausted", "TECHNICAL.backoff");
  }
}
