package io.tinko.common.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  @DisplayName("uuid7 ids are version 7, IETF variant, unique and ordered by their millisecond")
  void uuid7() throws Exception {
    Set<UUID> seen = new HashSet<>();
    UUID first = Ids.uuid7();
    for (int i = 0; i < 10_000; i++) {
      seen.add(Ids.uuid7());
    }
    Thread.sleep(2);
    UUID later = Ids.uuid7();
    assertThat(seen).hasSize(10_000);
    assertThat(first.version()).isEqualTo(7);
    assertThat(first.variant()).isEqualTo(2);
    assertThat(later.getMostSignificantBits() >>> 16).isGreaterThan(first.getMostSignificantBits() >>> 16);
  }
}
