package io.tinko.common.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Compact binary wire form of {@link InboundEvent} for the clustered event bus (no JSON or base64 of the body).
 * Locally the object itself is passed on.
 */
public final class InboundEventCodec implements MessageCodec<InboundEvent, InboundEvent> {
  public static final String NAME = "tinko.inbound-event.v1";

  /** Registers the codecs of {@link InboundEvent} and {@link InboundBatch}; every process of a cluster must. */
  public static void register(EventBus bus) {
    bus.registerDefaultCodec(InboundEvent.class, new InboundEventCodec());
    bus.registerDefaultCodec(InboundBatch.class, new BatchCodec());
  }

  @Override
  public void encodeToWire(Buffer buffer, InboundEvent e) {
    encode(buffer, e);
  }

  static void encode(Buffer buffer, InboundEvent e) {
    int start = buffer.length();
    buffer.appendInt(0); // length, patched below
    buffer.appendLong(e.id().getMostSignificantBits()).appendLong(e.id().getLeastSignificantBits());
    buffer.appendLong(e.receivedAt().getEpochSecond()).appendInt(e.receivedAt().getNano());
    buffer.appendLong(e.orgId().getMostSignificantBits()).appendLong(e.orgId().getLeastSignificantBits());
    appendString(buffer, e.endpointId());
    appendString(buffer, e.psp());
    appendString(buffer, e.eventId());
    appendString(buffer, e.eventType());
    buffer.appendInt(e.dispatch());
    buffer.appendInt(e.rawBody().length).appendBytes(e.rawBody());
    buffer.setInt(start, buffer.length() - start - 4);
  }

  @Override
  public InboundEvent decodeFromWire(int pos, Buffer buffer) {
    return decode(pos, buffer);
  }

  /** Decodes the event whose length prefix is at {@code pos}; the next one starts at pos + 4 + that length. */
  static InboundEvent decode(int pos, Buffer buffer) {
    int[] p = {pos + 4};
    UUID id = new UUID(buffer.getLong(p[0]), buffer.getLong(p[0] + 8));
    p[0] += 16;
    Instant at = Instant.ofEpochSecond(buffer.getLong(p[0]), buffer.getInt(p[0] + 8));
    p[0] += 12;
    UUID org = new UUID(buffer.getLong(p[0]), buffer.getLong(p[0] + 8));
    p[0] += 16;
    String endpoint = readString(buffer, p);
    String psp = readString(buffer, p);
    String eventId = readString(buffer, p);
    String type = readString(buffer, p);
    int dispatch = buffer.getInt(p[0]);
    int len = buffer.getInt(p[0] + 4);
    byte[] body = buffer.getBytes(p[0] + 8, p[0] + 8 + len);
    return new InboundEvent(id, at, endpoint, org, psp, eventId, type, body, dispatch);
  }

  @Override
  public InboundEvent transform(InboundEvent e) {
    return e;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  /** A count, then each event in the single-event format. */
  static final class BatchCodec implements MessageCodec<InboundBatch, InboundBatch> {
    @Override
    public void encodeToWire(Buffer buffer, InboundBatch batch) {
      buffer.appendInt(batch.events().size());
      for (InboundEvent e : batch.events()) {
        encode(buffer, e);
      }
    }

    @Override
    public InboundBatch decodeFromWire(int pos, Buffer buffer) {
      int n = buffer.getInt(pos);
      int p = pos + 4;
      java.util.List<InboundEvent> events = new java.util.ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        events.add(decode(p, buffer));
        p += 4 + buffer.getInt(p);
      }
      return new InboundBatch(java.util.List.copyOf(events));
    }

    @Override
    public InboundBatch transform(InboundBatch batch) {
      return batch;
    }

    @Override
    public String name() {
      return "tinko.inbound-batch.v1";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  private static void appendString(Buffer b, String s) {
    if (s == null) {
      b.appendInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.appendInt(bytes.length).appendBytes(bytes);
  }

  private static String readString(Buffer b, int[] p) {
    int len = b.getInt(p[0]);
    p[0] += 4;
    if (len < 0) {
      return null;
    }
    String s = b.getString(p[0], p[0] + len, "UTF-8");
    p[0] += len;
    return s;
  }
}
