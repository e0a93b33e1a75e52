package io.tinko.engine.recovery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's own meters. Unknown decline codes are counted per code so the classification table can grow; codes
 * come from outside, so the number of distinct tags is capped and the rest are counted as {@code other}.
 */
public final class EngineMetrics {
  private static final int MAX_CODES = 200;

  private final MeterRegistry registry;
  private final Map<String, Counter> unknown = new ConcurrentHashMap<>();
  private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
  private final Timer decisionLatency;

  public EngineMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.decisionLatency = Timer.builder("tinko_engine_decision_latency")
        .description("Webhook stored by the gateway to its decision committed by the engine")
        .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }

  void unknownCode(String psp, String code) {
    String c = code == null ? "none" : code.length() > 40 ? code.substring(0, 40) : code.toLowerCase(Locale.ROOT);
    String tag = unknown.size() >= MAX_CODES && !unknown.containsKey(psp + "\u0000" + c) ? "other" : c;
    unknown.computeIfAbsent(psp + "\u0000" + tag, k -> Counter.builder("tinko_engine_unknown_decline_codes")
        .description("Declines whose codes the classification table does not know (classified RETRY_LATER)")
        .tag("psp", psp).tag("code", tag).register(registry)).increment();
  }

  void decision(String action) {
    decisions.computeIfAbsent(action, a -> Counter.builder("tinko_engine_decisions")
        .description("Decisions written, by action").tag("action", a).register(registry)).increment();
  }

  void committed(Duration sinceReceived) {
    decisionLatency.record(sinceReceived.isNegative() ? Duration.ZERO : sinceReceived);
  }

  public Timer decisionLatency() {
    return decisionLatency;
  }
}
