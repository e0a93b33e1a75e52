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
      for (int i = 0; i < 500; i++) {
        IngressMeter.of(a).record();
      }
      // 500 counted in this second or, if the second turned meanwhile, split over it and the previous one
      assertThat(IngressMeter.of(a).perSecond()).isBetween(250L, 500L);
      assertThat(IngressMeter.of(b).perSecond()).isZero();
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void forgetsTrafficOlderThanASecond() throws Exception {
    IngressMeter m = new IngressMeter();
    for (int i = 0; i < 100; i++) {
      m.record();
    }
    assertThat(m.perSecond()).isGreaterThanOrEqualTo(50);
    // wait until two second boundaries have passed: the burst is neither this second nor the last one
    long start = System.currentTimeMillis() / 1000;
    while (System.currentTimeMillis() / 1000 < start + 2) {
      Thread.sleep(50);
    }
    assertThat(m.perSecond()).isZero();
  }
}
