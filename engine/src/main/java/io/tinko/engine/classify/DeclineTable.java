package io.tinko.engine.classify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The classification table, parsed from CSV ({@code source,code,class,not_before,note}; {@code #} starts a comment
 * line; the note is the rest of the line). Rejects unknown sources and classes, bad durations and duplicate codes,
 * so a typo in the resource fails at start-up rather than classifying silently as unknown.
 */
public final class DeclineTable {
  public static final String RESOURCE = "classify/decline-codes.csv";
  private static final String HEADER = "source,code,class,not_before,note";

  private final List<DeclineRule> rules;
  private final Map<CodeSource, Map<String, DeclineRule>> exact = new EnumMap<>(CodeSource.class);
  private final Map<CodeSource, DeclineRule> wildcards = new EnumMap<>(CodeSource.class);

  private DeclineTable(List<DeclineRule> rules) {
    this.rules = Collections.unmodifiableList(rules);
    for (DeclineRule r : rules) {
      if (r.isWildcard()) {
        if (wildcards.putIfAbsent(r.source(), r) != null) {
          throw new IllegalArgumentException("two wildcard rows for " + r.source().csvName());
        }
        continue;
      }
      String key = r.source().canonical(r.code());
      if (exact.computeIfAbsent(r.source(), s -> new HashMap<>()).putIfAbsent(key, r) != null) {
        throw new IllegalArgumentException("duplicate row " + r.source().csvName() + "," + r.code());
      }
    }
  }

  /** The table shipped in the engine jar. */
  public static DeclineTable load() {
    try (InputStream in = DeclineTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public static DeclineTable parse(Reader reader) throws IOException {
    List<DeclineRule> rules = new ArrayList<>();
    BufferedReader in = new BufferedReader(reader);
    boolean headerSeen = false;
    int lineNo = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lineNo++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (!headerSeen) {
        if (!trimmed.equals(HEADER)) {
          throw new IllegalArgumentException("line " + lineNo + ": expected the header '" + HEADER + "'");
        }
        headerSeen = true;
        continue;
      }
      rules.add(row(trimmed, lineNo));
    }
    return new DeclineTable(rules);
  }

  private static DeclineRule row(String line, int lineNo) {
    String[] f = line.split(",", 5);
    if (f.length < 4) {
      throw new IllegalArgumentException("line " + lineNo + ": expected " + HEADER + ", got '" + line + "'");
    }
    CodeSource source = CodeSource.fromCsv(f[0].strip())
        .orElseThrow(() -> new IllegalArgumentException("line " + lineNo + ": unknown source '" + f[0] + "'"));
    String code = f[1].strip();
    if (code.isEmpty()) {
      throw new IllegalArgumentException("line " + lineNo + ": empty code");
    }
    DeclineClass cls;
    try {
      cls = DeclineClass.valueOf(f[2].strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("line " + lineNo + ": unknown class '" + f[2] + "'", e);
    }
    Duration notBefore = Duration.ZERO;
    if (!f[3].isBlank()) {
      try {
        notBefore = Duration.parse(f[3].strip());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("line " + lineNo + ": not_before '" + f[3] + "' is not ISO-8601", e);
      }
    }
    return new DeclineRule(source, code, cls, notBefore, f.length == 5 ? f[4].strip() : "");
  }

  public List<DeclineRule> rules() {
    return rules;
  }

  public Optional<DeclineRule> exact(CodeSource source, String code) {
    if (code == null || code.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(exact.getOrDefault(source, Map.of()).get(source.canonical(code)));
  }

  public Optional<DeclineRule> wildcard(CodeSource source) {
    return Optional.ofNullable(wildcards.get(source));
  }
}
