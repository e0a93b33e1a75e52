package io.tinko.engine.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinko.engine.classify.Classification;
import io.tinko.engine.classify.DeclineClass;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Shipped retry policies and their file format")
class RetryPoliciesTest {
  private static final Path CONF = Path.of("..", "conf", "retry-policies.yaml");

  @Test
  @DisplayName("conf/retry-policies.yaml is the copy on the classpath and holds the documented defaults")
  void defaults() throws Exception {
    RetryPolicies shipped = RetryPolicies.loadDefaults();
    assertThat(RetryPolicies.load(CONF).toJson()).isEqualTo(shipped.toJson());

    RetryPolicy soft = shipped.forClass(DeclineClass.RETRY_LATER);
    assertThat(soft.action()).isEqualTo(PolicyAction.RETRY);
    assertThat(soft.maxAttempts()).isEqualTo(8);
    assertThat(soft.window()).isEqualTo(Duration.ofDays(14));
    assertThat(soft.schedule()).hasSize(8).last().matches(d -> d.compareTo(Duration.ofDays(14)) < 0);
    RetryPolicy technical = shipped.forClass(DeclineClass.TECHNICAL);
    assertThat(technical.backoff().initial()).isEqualTo(Duration.ofHours(1));
    assertThat(technical.jitter()).isPositive();
    for (DeclineClass c : List.of(DeclineClass.FIX_DATA, DeclineClass.AUTH_REQUIRED, DeclineClass.CUSTOMER_ENABLE,
        DeclineClass.NEVER)) {
      assertThat(shipped.forClass(c).action()).as(c.name()).isEqualTo(PolicyAction.CUSTOMER_ACTION);
    }
    assertThat(shipped.forClass(DeclineClass.MERCHANT_CONFIG).action()).isEqualTo(PolicyAction.NOTIFY_MERCHANT);
    assertThat(shipped.forKey(RetryPolicies.UNKNOWN).maxAttempts()).isLessThan(soft.maxAttempts());
    assertThat(shipped.networkLimits()).isEqualTo(new NetworkLimits(15, Duration.ofDays(30), 10, Duration.ofHours(24),
        35, Duration.ofDays(30)));
    assertThat(PolicyValidator.validate(shipped)).isEmpty();
  }

  @Test
  @DisplayName("unknown codes get the UNKNOWN policy, known ones their class's")
  void policyForClassification() {
    RetryPolicies shipped = RetryPolicies.loadDefaults();
    Classification unknown = new Classification(DeclineClass.RETRY_LATER, "default:unknown", Duration.ZERO, true, "x");
    assertThat(shipped.forClassification(unknown)).isSameAs(shipped.forKey("UNKNOWN"));
    assertThat(shipped.forClassification(Classification.of(DeclineClass.TECHNICAL, "t")))
        .isSameAs(shipped.forClass(DeclineClass.TECHNICAL));
  }

  @Test
  @DisplayName("policies survive a JSON round trip (the shape tenants' overrides are stored in)")
  void roundTrip() {
    RetryPolicies shipped = RetryPolicies.loadDefaults();
    RetryPolicies again = RetryPolicies.fromJson(shipped.toJson());
    assertThat(again.all()).isEqualTo(shipped.all());
    assertThat(again.networkLimits()).isEqualTo(shipped.networkLimits());
    RetryPolicy withHour = RetryPolicy.fromJson(new JsonObject("{\"action\":\"retry\",\"maxAttempts\":2,"
        + "\"window\":\"P3D\",\"schedule\":[\"P1D\",\"P2D\"],\"localHour\":10}"));
    assertThat(RetryPolicy.fromJson(withHour.toJson())).isEqualTo(withHour);
  }

  @Test
  @DisplayName("a tenant override replaces one class and leaves the shipped defaults alone")
  void override() {
    RetryPolicies shipped = RetryPolicies.loadDefaults();
    RetryPolicy stop = RetryPolicy.noRetry(PolicyAction.GIVE_UP);
    RetryPolicies tenant = shipped.withOverride("RETRY_LATER", stop);
    assertThat(tenant.forClass(DeclineClass.RETRY_LATER)).isEqualTo(stop);
    assertThat(shipped.forClass(DeclineClass.RETRY_LATER).retries()).isTrue();
    assertThatThrownBy(() -> shipped.withOverride("SOFT", stop)).hasMessageContaining("no policy 'SOFT'");
  }

  @Test
  @DisplayName("mistakes in the file are named by their key")
  void errorsNameTheKey() {
    JsonObject good = RetryPolicies.loadDefaults().toJson();
    JsonObject typo = good.copy();
    typo.getJsonObject("policies").getJsonObject("RETRY_LATER").put("maxAttempt", 3);
    assertThatThrownBy(() -> RetryPolicies.fromJson(typo)).hasMessageContaining("policies.RETRY_LATER")
        .hasMessageContaining("unknown key 'maxAttempt'");
    JsonObject weeks = good.copy();
    weeks.getJsonObject("policies").getJsonObject("TECHNICAL").put("window", "P2W");
    assertThatThrownBy(() -> RetryPolicies.fromJson(weeks)).hasMessageContaining("'window': 'P2W'");
    JsonObject missing = good.copy();
    missing.getJsonObject("policies").remove("NEVER");
    assertThatThrownBy(() -> RetryPolicies.fromJson(missing)).hasMessageContaining("policies.NEVER is missing");
    JsonObject noLimit = good.copy();
    noLimit.getJsonObject("networkLimits").getJsonObject("mastercard").remove("maxDeclines");
    assertThatThrownBy(() -> RetryPolicies.fromJson(noLimit)).hasMessageContaining("mastercard.maxDeclines");
    JsonObject action = good.copy();
    action.getJsonObject("policies").getJsonObject("FIX_DATA").put("action", "email");
    assertThatThrownBy(() -> RetryPolicies.fromJson(action)).hasMessageContaining("'email' is not one of");
  }

  @Test
  @DisplayName("defaults that break a network limit or a class rule are refused at load")
  void refusesUnsafeDefaults() {
    JsonObject unsafe = RetryPolicies.loadDefaults().toJson();
    unsafe.getJsonObject("policies").put("NEVER", new JsonObject("{\"action\":\"retry\",\"maxAttempts\":1,"
        + "\"window\":\"P1D\",\"schedule\":[\"PT12H\"]}"));
    assertThatThrownBy(() -> RetryPolicies.fromJson(unsafe)).hasMessageContaining("never_class");
  }
}
