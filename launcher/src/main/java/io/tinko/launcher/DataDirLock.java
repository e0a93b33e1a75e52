package io.tinko.launcher;

import io.tinko.common.config.ConfigException;
import io.tinko.common.db.RuntimeFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code <dataDir>/tinko-up.lock}: one {@code tinko up} per data directory. Held from before the embedded services
 * start until the process ends (the operating system lets go of it when the process dies, SIGKILL included), so a
 * second {@code tinko up} on the same directory stops with an error instead of taking the running one's Postgres
 * for a leftover and stopping it.
 */
final class DataDirLock implements AutoCloseable {
  static final String FILE = "tinko-up.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the directory's lock, or fails with a {@link ConfigException} that names the holder when it is known. */
  static DataDirLock acquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    FileChannel channel = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // this JVM holds it already (a second start in one process)
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      String holder = RuntimeFile.read(dataDir).map(r -> " (pid " + r.getLong("pid")
          + (r.getString("publicUrl") == null ? "" : ", serving " + r.getString("publicUrl")) + ")").orElse("");
      throw new ConfigException("another `tinko up`" + holder + " is running on the data directory "
          + dataDir.toAbsolutePath() + "; stop it first, or give this one a directory of its own "
          + "(embedded.dataDir, TINKO_EMBEDDED_DATA_DIR)");
    }
    return new DataDirLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
