package io.tinko.gateway.api.analytics;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GET /v1/analytics/timeseries: one metric per day, ISO week (Monday) or calendar month of the chosen zone, every
 * period from..to present (empty ones count 0; rates and percentiles of an empty period are null). The first and
 * last periods hold only the days inside from..to. Amount metrics give one series per currency.
 */
final class Timeseries {
  private static final Map<String, String> COUNTS = Map.of("failed_count", "failed_count",
      "recovered_count", "recovered_count", "in_recovery_count", "in_recovery_count",
      "given_up_count", "given_up_count", "attempts_made", "attempts_made");
  private static final Map<String, String> AMOUNTS = Map.of("failed_amount", "failed_amount_minor",
      "recovered_amount", "recovered_amount_minor");

  private final Pool pool;

  Timeseries(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> answer(AnalyticsQuery q, String metric, String interval) {
    String unit = interval == null ? "day" : interval;
    List<LocalDate> periods = periods(q.from(), q.to(), unit);
    // the range's per-day totals rows (one per day, PSP and currency), grouped into periods here; a percentile
    // needs only their times to recover, a count or amount only their sums
    String sql = metric != null && metric.startsWith("time_to_recover_") ? AnalyticsQuery.TOTALS_SECONDS
        : AnalyticsQuery.TOTALS_SUMS;
    return pool.preparedQuery(sql).execute(q.params()).map(rows -> AnalyticsRoutes.header(q,
        rows).put("metric", metric).put("interval", unit).put("series", series(rows, periods, metric, unit)));
  }

  private static JsonArray series(RowSet<Row> rows, List<LocalDate> periods, String metric, String unit) {
    boolean percentile = metric.startsWith("time_to_recover_");
    Map<LocalDate, Totals> byPeriod = new HashMap<>();
    Map<LocalDate, Percentiles> secondsByPeriod = new HashMap<>();
    for (Row r : rows) {
      if (!AnalyticsQuery.isData(r)) {
        continue;
      }
      LocalDate period = truncate(r.getLocalDate("day"), unit);
      if (percentile) {
        secondsByPeriod.computeIfAbsent(period, p -> new Percentiles()).add(r);
      } else {
        byPeriod.computeIfAbsent(period, p -> new Totals()).add(r);
      }
    }
    if (percentile) {
      double fraction = metric.endsWith("p50") ? 0.5 : 0.9;
      JsonArray points = new JsonArray();
      periods.forEach(p -> points.add(point(p, secondsByPeriod.containsKey(p)
          ? secondsByPeriod.get(p).at(fraction) : null)));
      return new JsonArray().add(series(null, null, points));
    }
    return AMOUNTS.containsKey(metric) ? amountSeries(periods, byPeriod, AMOUNTS.get(metric))
        : new JsonArray().add(series(null, null, countPoints(periods, byPeriod, metric)));
  }

  private static JsonArray countPoints(List<LocalDate> periods, Map<LocalDate, Totals> byPeriod, String metric) {
    JsonArray points = new JsonArray();
    for (LocalDate p : periods) {
      Totals t = byPeriod.getOrDefault(p, new Totals());
      Object value = switch (metric) {
        case "recovery_rate" -> t.recoveryRate();
        case "attempts_per_recovery" -> t.attemptsPerRecovery();
        default -> t.count(COUNTS.get(metric));
      };
      points.add(point(p, value));
    }
    return points;
  }

  /** One series per currency, each in the largest exponent that currency appears with in the range. */
  private static JsonArray amountSeries(List<LocalDate> periods, Map<LocalDate, Totals> byPeriod, String column) {
    Map<String, Map<LocalDate, long[]>> byCurrency = new TreeMap<>();
    Map<String, Integer> exponents = new HashMap<>();
    byPeriod.forEach((period, totals) -> totals.amountOf(column).forEach((currency, v) -> {
      byCurrency.computeIfAbsent(currency, c -> new HashMap<>()).put(period, v);
      exponents.merge(currency, (int) v[0], Math::max);
    }));
    JsonArray out = new JsonArray();
    byCurrency.forEach((currency, values) -> {
      int exponent = exponents.get(currency);
      JsonArray points = new JsonArray();
      for (LocalDate p : periods) {
        long[] v = values.get(p);
        long amount = 0;
        if (v != null) {
          amount = v[1];
          for (long e = v[0]; e < exponent; e++) {
            amount = Math.multiplyExact(amount, 10);
          }
        }
        points.add(point(p, amount));
      }
      out.add(series(currency, exponent, points));
    });
    return out;
  }

  static List<LocalDate> periods(LocalDate from, LocalDate to, String unit) {
    List<LocalDate> out = new ArrayList<>();
    for (LocalDate p = truncate(from, unit); !p.isAfter(to); p = next(p, unit)) {
      out.add(p);
    }
    return out;
  }

  private static LocalDate truncate(LocalDate d, String unit) {
    return switch (unit) {
      case "week" -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case "month" -> d.withDayOfMonth(1);
      default -> d;
    };
  }

  private static LocalDate next(LocalDate d, String unit) {
    return switch (unit) {
      case "week" -> d.plusWeeks(1);
      case "month" -> d.plusMonths(1);
      default -> d.plusDays(1);
    };
  }

  private static JsonObject point(LocalDate period, Object value) {
    return new JsonObject().put("period", period.toString()).put("value", value);
  }

  private static JsonObject series(String currency, Integer exponent, JsonArray points) {
    return new JsonObject().put("currency", currency).put("exponent", exponent).put("points", points);
  }
}
