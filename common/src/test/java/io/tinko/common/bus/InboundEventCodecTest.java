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

  @Test
  @DisplayName("a batch of events survives the cluster wire format in order")
  void batchRoundTrip() {
    java.util.List<InboundEvent> events = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      events.add(new InboundEvent(Ids.uuid7(), Instant.ofEpochSecond(1_800_000_000L + i), "ep_" + i, Ids.uuid7(),
          "razorpay", "evt_" + i, i == 1 ? null : "payment.failed", ("{\"n\":" + i + "}").getBytes(), i));
    }
    InboundEventCodec.BatchCodec batchCodec = new InboundEventCodec.BatchCodec();
    Buffer wire = Buffer.buffer("xy");
    batchCodec.encodeToWire(wire, new InboundBatch(events));
    InboundBatch back = batchCodec.decodeFromWire(2, wire);
    assertThat(back.events()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(back.events().get(i).eventId()).isEqualTo("evt_" + i);
      assertThat(back.events().get(i).eventType()).isEqualTo(events.get(i).eventType());
      assertThat(back.events().get(i).rawBody()).isEqualTo(events.get(i).rawBody());
      assertThat(back.events().get(i).dispatch()).isEqualTo(i);
    }
  }
}
