package io.tinko.engine.dunning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tinko.common.config.ConfigLoader;
import io.tinko.common.config.TinkoConfig;
import io.tinko.engine.support.Await;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sender's settings as the shipped configuration gives them, and the send rate's arithmetic. */
@ExtendWith(VertxExtension.class)
class DunningSettingsTest {
  @Test
  @DisplayName("shipped: passes of 16 at 50 emails a second, so a full pass lets the next start 320 ms after it")
  void shipped(Vertx vertx) {
    TinkoConfig config = Await.await(ConfigLoader.load(vertx, null, Map.of()));
    DunningSender.Settings s = DunningDeployment.settings(config);
    assertThat(s.maxPerSecond()).isEqualTo(50);
    assertThat(s.claimLimit()).isEqualTo(16);
    assertThat(Duration.ofNanos(s.paceNanos(16))).isEqualTo(Duration.ofMillis(320));
    assertThat(s.paceNanos(0)).as("a pass that mailed nothing holds nothing back").isZero();
  }

  @Test
  @DisplayName("a rate under the batch size claims only the rate per pass; 0 is no limit: the batch size, no wait")
  void rateAndBatch(Vertx vertx) {
    TinkoConfig config = Await.await(ConfigLoader.load(vertx, null,
        Map.of("TINKO_DUNNING_MAX_PER_SECOND", "5")));
    DunningSender.Settings slow = DunningDeployment.settings(config);
    assertThat(slow.claimLimit()).isEqualTo(5);
    assertThat(Duration.ofNanos(slow.paceNanos(5))).isEqualTo(Duration.ofSeconds(1));
    DunningSender.Settings none = DunningDeployment.settings(Await.await(ConfigLoader.load(vertx, null,
        Map.of("TINKO_DUNNING_MAX_PER_SECOND", "0"))));
    assertThat(none.claimLimit()).isEqualTo(16);
    assertThat(none.paceNanos(16)).isZero();
  }

  @Test
  @DisplayName("a negative rate is refused at deployment with the key's name, before anything is started")
  void negativeRefused(Vertx vertx) {
    TinkoConfig config = Await.await(ConfigLoader.load(vertx, null, Map.of("TINKO_DUNNING_MAX_PER_SECOND", "-1")));
    Throwable err = catchThrowable(() -> Await.await(DunningDeployment.deploy(vertx, null, config,
        "smtp://127.0.0.1:25", Clock.systemUTC(), new SimpleMeterRegistry())));
    assertThat(err).hasMessageContaining("dunning.maxPerSecond must be 0 (no limit) or more, got -1");
  }
}
