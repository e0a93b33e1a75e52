package io.tinko.common.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

class IngressMeterTest {
  @Test
  void oneMeterPerVertxInstance() {
    Vertx a = Vertx.vertx();
    Vertx b = Vertx.vertx();
    try {
      assertThat(IngressMeter.of(a)).isSameAs(IngressMeter.of(a));
      assertThat(IngressMeter.of(a)).isNotSameAs(IngressMeter.of(b));
      IngressMeter.of(a).begin();
      assertThat(IngressMeter.of(a).inFlight()).isEqualTo(1);
      assertThat(IngressMeter.of(b).inFlight()).isZero();
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void busyOverTheThresholdAndForAWhileAfter() throws Exception {
    IngressMeter m = new IngressMeter();
    for (int i = 0; i < 10; i++) {
      m.begin();
    }
    assertThat(m.busy(10)).as("10 waiting is not over 10").isFalse();
    m.begin();
    assertThat(m.busy(10)).isTrue();
    assertThat(m.busy(0)).as("0 turns deferral off").isFalse();
    for (int i = 0; i < 11; i++) {
      m.end();
    }
    assertThat(m.inFlight()).isZero();
    assertThat(m.busy(10)).as("still held just after the queue drained").isTrue();
    Thread.sleep(IngressMeter.HOLD_MILLIS + 200);
    assertThat(m.busy(10)).isFalse();
  }
}
