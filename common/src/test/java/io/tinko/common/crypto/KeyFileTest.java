package io.tinko.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  @TempDir
  Path dir;

  @Test
  void generatesOnceAndReadsTheSameKeyAfterwards() throws Exception {
    Path file = dir.resolve("secrets").resolve("a.key");
    byte[] first = KeyFile.readOrCreate(file, 32);
    assertThat(first).hasSize(32);
    assertThat(KeyFile.readOrCreate(file, 32)).isEqualTo(first);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    try (var left = Files.list(file.getParent())) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("a.key");
    }
  }

  /** The gateway and the engine of one deployment start together: every caller must end up with one and the same key. */
  @RepeatedTest(20)
  void concurrentFirstCallersAgreeOnOneKey() throws Exception {
    Path file = dir.resolve("race-" + System.nanoTime()).resolve("link.key");
    int callers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return KeyFile.readOrCreate(file, 32);
        }));
      }
      go.countDown();
      byte[] onDisk = KeyFile.readOrCreate(file, 32);
      for (Future<byte[]> r : results) {
        byte[] k = r.get(10, TimeUnit.SECONDS);
        assertThat(Arrays.equals(k, onDisk)).as("a caller got a key that is not the one on disk").isTrue();
      }
      try (var left = Files.list(file.getParent())) {
        assertThat(left.map(p -> p.getFileName().toString())).containsExactly("link.key");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
