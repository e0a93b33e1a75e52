package io.tinko.engine.normalize;

import io.tinko.common.domain.Psp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.UUID;

/** Reads the PSP payload fixtures under test resources {@code fixtures/<psp>/<type>[@variant].json}. */
public final class Fixtures {
  public static final UUID ORG = UUID.fromString("6f1d2c3b-4a59-4e8d-9c7b-0a1b2c3d4e5f");
  private static final Normalizer NORMALIZER = new Normalizer();

  private Fixtures() {}

  public static byte[] bytes(Psp psp, String name) {
    String path = "/fixtures/" + psp.id() + "/" + name + ".json";
    try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Normalizes a fixture; the event type is taken from the file name (before any {@code @variant}). */
  public static NormalizedEvent event(Psp psp, String name) {
    String type = name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
    return NORMALIZER.normalize(psp, ORG, type, bytes(psp, name));
  }
}
