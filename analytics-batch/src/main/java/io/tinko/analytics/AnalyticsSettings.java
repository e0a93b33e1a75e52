package io.tinko.analytics;

import io.tinko.common.config.ConfigException;
import io.tinko.common.config.TinkoConfig;
import java.time.Duration;

/**
 * The analytics.* section of the configuration (conf/tinko.yaml documents each key).
 *
 * @param lookback     how far behind its watermark an incremental run starts reading changed transactions again
 * @param workMem      Postgres work_mem of the job's session (its sorts and hash aggregates)
 * @param fullWorkMem  work_mem and maintenance_work_mem of a full run's transaction (one hash aggregate over every
 *                     fact, index builds over every row)
 * @param lockTimeout  the job waits no longer than this for any table lock (it never queues behind DDL)
 * @param maxRangeDays the widest from..to the analytics API answers
 * @param connections  how many database connections an incremental or full run works with at once, each for its
 *                     own share of the tenants, all reading one exported snapshot
 */
public record AnalyticsSettings(Duration lookback, String workMem, String fullWorkMem, Duration lockTimeout,
                                int maxRangeDays, int connections) {

  public AnalyticsSettings {
    if (lookback.isNegative()) {
      throw new ConfigException("analytics.lookbackMinutes must not be negative");
    }
    memory("analytics.workMem", workMem);
    memory("analytics.fullWorkMem", fullWorkMem);
    if (maxRangeDays < 1) {
      throw new ConfigException("analytics.maxRangeDays must be at least 1");
    }
    if (connections < 1 || connections > 16) {
      throw new ConfigException("analytics.connections must be between 1 and 16, got " + connections);
    }
  }

  public static AnalyticsSettings from(TinkoConfig c) {
    return new AnalyticsSettings(Duration.ofMinutes(c.longValue("analytics.lookbackMinutes")),
        c.string("analytics.workMem").trim(), c.string("analytics.fullWorkMem").trim(),
        Duration.ofMillis(c.longValue("analytics.lockTimeoutMs")), c.integer("analytics.maxRangeDays"),
        c.integer("analytics.connections"));
  }

  /** Defaults for tests and tools that have no configuration file. */
  public static AnalyticsSettings defaults() {
    return new AnalyticsSettings(Duration.ofMinutes(5), "256MB", "1GB", Duration.ofSeconds(5), 400, 2);
  }

  private static void memory(String key, String value) {
    if (!value.matches("\\d+\\s*(kB|MB|GB)")) {
      throw new ConfigException(key + " must look like 64MB (kB, MB or GB), got '" + value + "'");
    }
  }
}
