package io.tinko.common.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.util.Ids;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InboundEventCodecTest {
  private final InboundEventCodec codec = new InboundEventCodec();

  @Test
  @DisplayName("an inbound event survives the cluster wire format byte for byte")
  void roundTrip() {
    byte[] body = "{\"id\":\"evt_é\"}".getBytes(StandardCharsets.UTF_8);
    InboundEvent e = new InboundEvent(Ids.uuid7(), Instant.parse("2026-11-26T10:15:30.123456Z"), "ep_1",
        Ids.uuid7(), "stripe", "evt_é", null, body, 3);
    Buffer wire = Buffer.buffer("prefix");
    codec.encodeToWire(wire, e);
    InboundEvent back = codec.decodeFromWire(6, wire);
    assertThat(back.id()).isEqualTo(e.id());
    assertThat(back.receivedAt()).isEqualTo(e.receivedAt());
    assertThat(back.orgId()).isEqualTo(e.orgId());
    assertThat(back.endpointId()).isEqualTo("ep_1");
    assertThat(back.eventId()).isEqualTo("evt_é");
    assertThat(back.eventType()).isNull();
    assertThat(back.rawBody()).isEqualTo(body);
    assertThat(back.dispatch()).isEqualTo(3);
    assertThat(wire.getInt(6)).isEqualTo(wire.length() - 10);
  }
}
