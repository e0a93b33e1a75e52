package io.tinko.loadtests.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Checksum;
import javax.crypto.Mac;

/**
 * A PSP event body with three slots: {@code {{ID}}} (the PSP event id), {@code {{K}}} (a per-event key that makes
 * invoice, customer and payment ids unique, so the engine sees distinct payments) and {@code {{DECLINE}}}.
 * Bodies are never kept whole: the signature is computed by streaming the segments into the Mac, and the bytes are
 * rendered when the request is written (one 1.7 KB copy, no JSON work).
 */
public final class EventTemplate {
  private static final String[] SLOTS = {"{{ID}}", "{{K}}", "{{DECLINE}}"};

  private final byte[][] segments;
  private final int[] slots;   // slots[i] = which value goes after segments[i]; -1 after the last
  private final int fixedLength;

  private EventTemplate(byte[][] segments, int[] slots) {
    this.segments = segments;
    this.slots = slots;
    int n = 0;
    for (byte[] s : segments) {
      n += s.length;
    }
    this.fixedLength = n;
  }

  public static EventTemplate resource(String name) {
    try (InputStream in = EventTemplate.class.getResourceAsStream("/bodies/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing body template /bodies/" + name);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static EventTemplate parse(String text) {
    List<byte[]> segs = new ArrayList<>();
    List<Integer> slotList = new ArrayList<>();
    int pos = 0;
    while (true) {
      int best = -1;
      int bestSlot = -1;
      for (int i = 0; i < SLOTS.length; i++) {
        int at = text.indexOf(SLOTS[i], pos);
        if (at >= 0 && (best < 0 || at < best)) {
          best = at;
          bestSlot = i;
        }
      }
      if (best < 0) {
        segs.add(text.substring(pos).getBytes(StandardCharsets.UTF_8));
        slotList.add(-1);
        break;
      }
      segs.add(text.substring(pos, best).getBytes(StandardCharsets.UTF_8));
      slotList.add(bestSlot);
      pos = best + SLOTS[bestSlot].length();
    }
    return new EventTemplate(segs.toArray(new byte[0][]), slotList.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The body bytes for these slot values (ASCII ids). */
  public byte[] render(byte[] id, byte[] key, byte[] decline) {
    byte[][] values = {id, key, decline};
    int len = fixedLength;
    for (int s : slots) {
      if (s >= 0) {
        len += values[s].length;
      }
    }
    byte[] out = new byte[len];
    int p = 0;
    for (int i = 0; i < segments.length; i++) {
      System.arraycopy(segments[i], 0, out, p, segments[i].length);
      p += segments[i].length;
      if (slots[i] >= 0) {
        byte[] v = values[slots[i]];
        System.arraycopy(v, 0, out, p, v.length);
        p += v.length;
      }
    }
    return out;
  }

  /** Feeds the body into a checksum (PayPal signs the body's CRC32) without materialising it. */
  public void update(Checksum crc, byte[] id, byte[] key, byte[] decline) {
    byte[][] values = {id, key, decline};
    for (int i = 0; i < segments.length; i++) {
      crc.update(segments[i]);
      if (slots[i] >= 0) {
        crc.update(values[slots[i]]);
      }
    }
  }

  /** Feeds the body into a Mac without materialising it. */
  public void update(Mac mac, byte[] id, byte[] key, byte[] decline) {
    byte[][] values = {id, key, decline};
    for (int i = 0; i < segments.length; i++) {
      mac.update(segments[i]);
      if (slots[i] >= 0) {
        mac.update(values[slots[i]]);
      }
    }
  }
}
