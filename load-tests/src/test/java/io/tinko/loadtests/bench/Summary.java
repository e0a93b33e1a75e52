package io.tinko.loadtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bench summary: Gatling's own statistics (the "measured" group's row of the report's statistics table: counts
 * and percentiles), the run's measured window and accepted answers (from the simulation's run file), the audit, and
 * the baseline run. Prints one line and writes load-tests/target/bench-summary.json with the keys
 * simulation, rateAsked, acceptedPerSec, p50Ms, p99Ms, errors, lost, duplicated, barePerSec, ratioToBare, report.
 * A simulation without webhooks (the merchant API: its run file has no accepted answers) reports the requests
 * answered as expected per second as acceptedPerSec (p50Ms and p99Ms stay the measured group's: whole visits), and adds requests: count, failed, p50Ms and p99Ms per request
 * name of the measured group, also appended to the line (the issue 5 figure is its "list transactions").
 *
 * <p>ratioToBare = requests/s answered as the contract requires by the gateway ÷ requests/s answered by the bare
 * endpoint, both over their measured windows at the same asked rate.
 */
public final class Summary {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CELL = Pattern.compile("col-(\\d+)\">([^<]*)<");

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Args.parse(args);
    Path report = Path.of(a.get("report"));
    // a Gatling report folder, or the stats file of the blast generator (load-tests/bench --generator blast)
    Measured m = measured(report);
    JsonNode run = JSON.readTree(Path.of(a.get("run")).toFile());
    double span = (run.get("endMs").asLong() - run.get("measuredStartMs").asLong()) / 1000.0;
    double okPerSec = span > 0 ? m.ok() / span : 0;
    // simulations without webhooks (the merchant API) have no "accepted": requests answered as expected instead
    double acceptedPerSec = !run.has("measuredAcceptedAnswers") ? okPerSec
        : span > 0 ? run.get("measuredAcceptedAnswers").asLong() / span : 0;

    Object lost = null;
    Object duplicated = null;
    if (a.containsKey("audit") && Files.exists(Path.of(a.get("audit")))) {
      JsonNode audit = JSON.readTree(Path.of(a.get("audit")).toFile());
      lost = audit.get("lost").asLong();
      duplicated = audit.get("duplicated").asLong();
    }
    Double barePerSec = null;
    Double ratio = null;
    if (a.containsKey("bare-report") && (Files.exists(Path.of(a.get("bare-report"), "index.html"))
        || Files.isRegularFile(Path.of(a.get("bare-report"))))) {
      Measured bare = measured(Path.of(a.get("bare-report")));
      JsonNode bareRun = JSON.readTree(Path.of(a.get("bare-run")).toFile());
      double bareSpan = (bareRun.get("endMs").asLong() - bareRun.get("measuredStartMs").asLong()) / 1000.0;
      barePerSec = round(bare.ok() / bareSpan);
      ratio = barePerSec > 0 ? Math.round(okPerSec / barePerSec * 1000) / 1000.0 : null;
    }

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("simulation", a.get("simulation"));
    out.put("rateAsked", Double.parseDouble(a.get("rate")));
    out.put("acceptedPerSec", round(acceptedPerSec));
    out.put("p50Ms", m.p50Ms());
    out.put("p99Ms", m.p99Ms());
    out.put("errors", m.errors());
    out.put("lost", lost);
    out.put("duplicated", duplicated);
    out.put("barePerSec", barePerSec);
    out.put("ratioToBare", ratio);
    out.put("report", m.report());
    Map<String, Object> requests = new LinkedHashMap<>();
    StringBuilder perRequest = new StringBuilder();
    boolean perRequestFigures = !run.has("measuredAcceptedAnswers") && !Files.isRegularFile(report);
    if (perRequestFigures) {
      for (Map.Entry<String, Map<Integer, String>> e : requestRows(report.resolve("index.html")).entrySet()) {
        Map<Integer, String> r = e.getValue();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("count", Long.parseLong(r.get(2)));
        stats.put("failed", Long.parseLong(r.get(4)));
        stats.put("p50Ms", Double.parseDouble(r.get(8)));
        stats.put("p99Ms", Double.parseDouble(r.get(11)));
        requests.put(e.getKey(), stats);
        perRequest.append(perRequest.length() == 0 ? " | " : "; ").append(e.getKey()).append(": n ")
            .append(r.get(2)).append(", p50 ").append(r.get(8)).append(" ms, p99 ").append(r.get(11)).append(" ms");
      }
    }
    if (perRequestFigures) {
      out.put("requests", requests);
      // the group's OK count is of whole visits: count the requests answered as expected instead
      long ok = requestRows(report.resolve("index.html")).values().stream().mapToLong(r -> Long.parseLong(r.get(3)))
          .sum();
      acceptedPerSec = span > 0 ? ok / span : 0;
      out.put("acceptedPerSec", round(acceptedPerSec));
    }
    Path summary = Path.of(a.getOrDefault("out", "target/bench-summary.json"));
    JSON.writerWithDefaultPrettyPrinter().writeValue(summary.toFile(), out);

    System.out.printf("%s: rate asked %s/s, accepted %.0f/s, p50 %s ms, p99 %s ms, errors %s, lost %s, duplicated %s,"
            + " bare %s, ratio to bare %s%s | report %s%n",
        out.get("simulation"), fmt(out.get("rateAsked")), acceptedPerSec, fmt(m.p50Ms()), fmt(m.p99Ms()), m.errors(),
        lost == null ? "n/a (no audit)" : lost, duplicated == null ? "n/a (no audit)" : duplicated,
        barePerSec == null ? "n/a" : String.format("%.0f/s", barePerSec), ratio == null ? "n/a" : ratio,
        perRequest, out.get("report"));
  }

  /** What a run measured: requests answered as required, p50/p99 of the measured window, failed requests. */
  record Measured(long ok, double p50Ms, double p99Ms, long errors, String report) {}

  static Measured measured(Path report) throws Exception {
    if (Files.isRegularFile(report)) {
      JsonNode s = JSON.readTree(report.toFile());
      return new Measured(s.get("ok").asLong(), s.get("p50Ms").asDouble(), s.get("p99Ms").asDouble(),
          s.get("failed").asLong(), report.toAbsolutePath().toString());
    }
    Map<Integer, String> row = measuredRow(report.resolve("index.html"));
    Map<Integer, String> all = row("ROOT", Files.readString(report.resolve("index.html")));
    return new Measured(Long.parseLong(row.get(3)), Double.parseDouble(row.get(8)), Double.parseDouble(row.get(11)),
        Long.parseLong(all.get(4)), report.resolve("index.html").toAbsolutePath().toString());
  }

  /** The "measured" group's row (warm-up excluded); the whole run's row when there is no such group. */
  static Map<Integer, String> measuredRow(Path index) throws Exception {
    String html = Files.readString(index);
    Matcher m = Pattern.compile("<tr id=\"(group_measured-[^\"]*)\"").matcher(html);
    return row(m.find() ? m.group(1) : "ROOT", html);
  }

  /** The request rows of the "measured" group, by request name (Gatling shortens ids, not the names it shows). */
  static Map<String, Map<Integer, String>> requestRows(Path index) throws Exception {
    String html = Files.readString(index);
    Map<String, Map<Integer, String>> rows = new LinkedHashMap<>();
    Matcher m = Pattern.compile("<tr id=\"(req_measured---[^\"]*)\"").matcher(html);
    while (m.find()) {
      int start = m.start();
      String tr = html.substring(start, html.indexOf("</tr>", start));
      Matcher name = Pattern.compile("class=\"ellipsed-name\">([^<]*)<").matcher(tr);
      if (name.find()) {
        rows.put(name.group(1).trim(), row(m.group(1), html));
      }
    }
    return rows;
  }

  /** Columns of one statistics row: 2 total, 3 OK, 4 KO, 6 count/s, 8 p50, 11 p99 (Gatling 3.15 report). */
  static Map<Integer, String> row(String id, String html) {
    int start = html.indexOf("<tr id=\"" + id + "\"");
    if (start < 0) {
      throw new IllegalStateException("no statistics row " + id + " in the Gatling report");
    }
    String tr = html.substring(start, html.indexOf("</tr>", start));
    Map<Integer, String> cells = new HashMap<>();
    Matcher c = CELL.matcher(tr);
    while (c.find()) {
      cells.put(Integer.parseInt(c.group(1)), c.group(2).trim().replace(",", "").replace("-", "0"));
    }
    return cells;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static String fmt(Object d) {
    double v = (Double) d;
    return v == Math.rint(v) ? Long.toString((long) v) : d.toString();
  }
}
