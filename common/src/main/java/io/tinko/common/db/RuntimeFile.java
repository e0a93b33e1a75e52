package io.tinko.common.db;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@code <dataDir>/runtime.json}: where a running {@code tinko up} serves its embedded services, so that
 * {@code tinko migrate}, {@code tinko analytics} and the bench tools find the same database without configuration.
 */
public final class RuntimeFile {
  private RuntimeFile() {}

  public static Path path(Path dataDir) {
    return dataDir.resolve("runtime.json");
  }

  public static void write(Path dataDir, JsonObject info) throws IOException {
    Files.createDirectories(dataDir);
    // a temporary file of its own: a gateway and an engine started together on one data directory both write here
    Path tmp = Files.createTempFile(dataDir, "runtime.json.", ".tmp");
    try {
      Files.writeString(tmp, info.encodePrettily(), StandardCharsets.UTF_8);
      Files.move(tmp, path(dataDir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static Optional<JsonObject> read(Path dataDir) {
    Path p = path(dataDir);
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    try {
      JsonObject json = new JsonObject(Files.readString(p, StandardCharsets.UTF_8));
      long pid = json.getLong("pid", -1L);
      if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return Optional.of(json);
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public static void delete(Path dataDir) {
    try {
      Files.deleteIfExists(path(dataDir));
    } catch (IOException ignored) {
      // best effort on shutdown; a stale file names a dead pid and is ignored by read()
    }
  }
}
