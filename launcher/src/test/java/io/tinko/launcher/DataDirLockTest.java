package io.tinko.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinko.common.config.ConfigException;
import io.tinko.common.db.RuntimeFile;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("a second tinko up on a data directory in use is refused, naming the running one; free again after")
  void oneUpPerDataDirectory() throws Exception {
    Path data = dir.resolve("data");
    try (DataDirLock first = DataDirLock.acquire(data)) {
      RuntimeFile.write(data, new JsonObject().put("pid", ProcessHandle.current().pid())
          .put("publicUrl", "http://localhost:18080"));
      assertThatThrownBy(() -> DataDirLock.acquire(data)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("another `tinko up` (pid " + ProcessHandle.current().pid()
              + ", serving http://localhost:18080) is running on the data directory " + data.toAbsolutePath())
          .hasMessageContaining("TINKO_EMBEDDED_DATA_DIR");
    }
    try (DataDirLock again = DataDirLock.acquire(data)) {
      assertThat(data.resolve(DataDirLock.FILE)).exists();
    }
  }

  @Test
  @DisplayName("another process holding the lock is seen too, not only this JVM")
  void heldByAnotherProcess() throws Exception {
    Path data = dir.resolve("data2");
    java.nio.file.Files.createDirectories(data);
    // a second JVM takes the lock through this class and waits, as a running tinko up does
    Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
        System.getProperty("java.class.path"), LockHolder.class.getName(), data.toString())
        .redirectErrorStream(true).start();
    try {
      assertThat(new String(child.getInputStream().readNBytes(6))).isEqualTo("locked");
      assertThatThrownBy(() -> DataDirLock.acquire(data)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("another `tinko up` is running on the data directory");
    } finally {
      child.destroyForcibly().waitFor();
    }
    // the holder died (as with SIGKILL): the operating system released its lock
    try (DataDirLock mine = DataDirLock.acquire(data)) {
      assertThat(mine).isNotNull();
    }
  }

  /** The other process of {@link #heldByAnotherProcess}. */
  public static final class LockHolder {
    public static void main(String[] args) throws Exception {
      DataDirLock lock = DataDirLock.acquire(Path.of(args[0]));
      System.out.print("locked");
      System.out.flush();
      Thread.sleep(60_000);
      lock.close();
    }
  }
}
