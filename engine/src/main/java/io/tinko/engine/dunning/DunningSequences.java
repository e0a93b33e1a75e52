package io.tinko.engine.dunning;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The dunning sequence of every decline class (conf/dunning.yaml, shipped in the jar as tinko/dunning.yaml): which
 * email goes out how long after the sequence starts. A tenant's stored sequence for a class replaces the default.
 */
public final class DunningSequences {
  public static final String DEFAULTS_RESOURCE = "tinko/dunning.yaml";
  public static final Set<String> CLASSES = Set.of("RETRY_LATER", "TECHNICAL", "FIX_DATA", "AUTH_REQUIRED",
      "CUSTOMER_ENABLE", "NEVER", "MERCHANT_CONFIG");
  public static final Set<String> TEMPLATES = Set.of("update_payment", "authenticate", "enable_card", "new_method",
      "retry_failed", "reminder", "final_notice");
  static final int MAX_STEPS = 10;
  static final Duration MAX_AFTER = Duration.ofDays(60);

  /** One email of a sequence. */
  public record Step(Duration after, String template) {}

  private final Map<String, List<Step>> byClass;

  private DunningSequences(Map<String, List<Step>> byClass) {
    this.byClass = Map.copyOf(byClass);
  }

  public static DunningSequences loadDefaults() {
    try (InputStream in = DunningSequences.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
      }
      return read(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEFAULTS_RESOURCE, e);
    }
  }

  /** An operator's file in the same format. Blocking: call it off the event loop. */
  public static DunningSequences load(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  static DunningSequences read(Reader in) {
    Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    if (!(doc instanceof Map<?, ?> map) || !(map.get("sequences") instanceof Map<?, ?> seqs)) {
      throw new IllegalArgumentException("the dunning file must be a mapping with 'sequences'");
    }
    Map<String, List<Step>> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : seqs.entrySet()) {
      String cls = String.valueOf(e.getKey());
      if (!CLASSES.contains(cls)) {
        throw new IllegalArgumentException("unknown decline class " + cls);
      }
      Object steps = e.getValue() == null ? List.of() : e.getValue();
      if (!(steps instanceof List<?> list)) {
        throw new IllegalArgumentException(cls + ": a sequence is a list of steps");
      }
      out.put(cls, steps(new JsonArray(new ArrayList<>((List<Object>) list))));
    }
    for (String cls : CLASSES) {
      out.putIfAbsent(cls, List.of());
    }
    return new DunningSequences(out);
  }

  /** The shipped sequence of a class. */
  public List<Step> forClass(String declineClass) {
    return byClass.getOrDefault(declineClass, List.of());
  }

  /** A tenant's stored sequence ({"steps": [...]}) or, when null, the default of the class. */
  public List<Step> resolve(String declineClass, JsonObject custom) {
    return custom == null ? forClass(declineClass) : steps(custom.getJsonArray("steps", new JsonArray()));
  }

  /** Parses and checks steps; the message says what is wrong (for the API's 400 and start-up errors). */
  public static List<Step> steps(JsonArray json) {
    if (json.size() > MAX_STEPS) {
      throw new IllegalArgumentException("at most " + MAX_STEPS + " steps");
    }
    List<Step> out = new ArrayList<>();
    Duration previous = Duration.ZERO;
    for (int i = 0; i < json.size(); i++) {
      Object o = json.getValue(i);
      JsonObject s = o instanceof JsonObject j ? j : o instanceof Map<?, ?> m ? new JsonObject(cast(m)) : null;
      if (s == null) {
        throw new IllegalArgumentException("step " + (i + 1) + " must be an object {after, template}");
      }
      Duration after;
      try {
        after = Duration.parse(String.valueOf(s.getValue("after")));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("step " + (i + 1) + ": after must be an ISO-8601 duration such as P3D");
      }
      String template = s.getString("template");
      if (template == null || !TEMPLATES.contains(template)) {
        throw new IllegalArgumentException("step " + (i + 1) + ": template must be one of " + String.join(", ",
            TEMPLATES.stream().sorted().toList()));
      }
      if (after.isNegative() || after.compareTo(MAX_AFTER) > 0 || after.compareTo(previous) < 0) {
        throw new IllegalArgumentException("step " + (i + 1) + ": after must be between the previous step's and P60D");
      }
      previous = after;
      out.add(new Step(after, template));
    }
    return out;
  }

  public static JsonObject toJson(List<Step> steps) {
    JsonArray arr = new JsonArray();
    steps.forEach(s -> arr.add(new JsonObject().put("after", s.after().toString()).put("template", s.template())));
    return new JsonObject().put("steps", arr);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
