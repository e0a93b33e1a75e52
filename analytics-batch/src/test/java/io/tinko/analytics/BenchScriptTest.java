package io.tinko.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** bench/merge-order-ab.sql runs a copy of the job's daily MERGE: the copy must stay the statement the job runs. */
class BenchScriptTest {

  @Test
  @DisplayName("the MERGE order A/B script holds the daily MERGE exactly as the job builds it")
  void mergeOrderScriptRunsTheJobsMerge() throws Exception {
    String script = Files.readString(Path.of("bench/merge-order-ab.sql"));
    assertThat(script).contains(PatchSql.MERGE);
  }
}
