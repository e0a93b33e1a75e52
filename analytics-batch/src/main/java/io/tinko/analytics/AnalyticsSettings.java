package io.tinko.analytics;

import io.tinko.common.config.ConfigException;
import io.tinko.common.config.TinkoConfig;
import java.time.Duration;

/**
 * The analytics.* section of the configuration (conf/tinko.yaml documents each key).
 *
 * @param lookback     how far behind its watermark an incremental run starts reading changed transactions again
 * @param workMem      Postgres work_mem of the job's session (its sorts and hash aggregates)
 * @param lockTimeout  the job waits no longer than this for any table lock (it never queues behind DDL)
 * @param maxRangeDays the widest from..to the analytics API answers
 */
public record AnalyticsSettings(Duration lookback, String workMem, Duration lockTimeout, int maxRangeDays) {

  public AnalyticsSettings {
    if (lookback.isNegative()) {
      throw new ConfigException("analytics.lookbackMinutes must not be negative");
    }
    if (!workMem.matches("\\d+\\s*(kB|MB|GB)")) {
      throw new ConfigException("analytics.workMem must look like 64MB (kB, MB or GB), got '" + workMem + "'");
    }
    if (maxRangeDays < 1) {
      throw new ConfigException("analytics.maxRangeDays must be at least 1");
    }
  }

  public static AnalyticsSettings from(TinkoConfig c) {
    return new AnalyticsSettings(Duration.ofMinutes(c.longValue("analytics.lookbackMinutes")),
        c.string("analytics.workMem").trim(), Duration.ofMillis(c.longValue("analytics.lockTimeoutMs")),
        c.integer("analytics.maxRangeDays"));
  }

  /** Defaults for tests and tools that have no configuration file. */
  public static AnalyticsSettings defaults() {
    return new AnalyticsSettings(Duration.ofMinutes(5), "256MB", Duration.ofSeconds(5), 400);
  }
}
