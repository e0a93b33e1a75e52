package io.tinko.engine.retry;

import io.tinko.engine.classify.Classification;
import io.tinko.engine.classify.DeclineClass;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The retry policy of every decline class plus the conservative one for unknown codes (key {@value #UNKNOWN}), and
 * the network limits. Immutable; {@link #withOverride} derives a tenant's view from the shipped defaults.
 *
 * <p>File format ({@code conf/retry-policies.yaml}, packed into the common jar as
 * {@value #DEFAULTS_RESOURCE}): {@code policies: {<CLASS|UNKNOWN>: <RetryPolicy>}} with every class present, and
 * {@code networkLimits: <NetworkLimits>}. Defaults that break a network limit or a class rule fail the load.
 */
public final class RetryPolicies {
  public static final String UNKNOWN = "UNKNOWN";
  public static final String DEFAULTS_RESOURCE = "tinko/retry-policies.yaml";

  private final Map<String, RetryPolicy> byKey;
  private final NetworkLimits networkLimits;

  private RetryPolicies(Map<String, RetryPolicy> byKey, NetworkLimits networkLimits) {
    this.byKey = Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
    this.networkLimits = networkLimits;
  }

  /** The policy key of a classification: the class name, or {@value #UNKNOWN} for codes no table row knows. */
  public static String keyOf(Classification c) {
    return c.unknown() ? UNKNOWN : c.declineClass().name();
  }

  /** Every valid key: the class names and {@value #UNKNOWN}. */
  public static List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (DeclineClass c : DeclineClass.values()) {
      keys.add(c.name());
    }
    keys.add(UNKNOWN);
    return keys;
  }

  /** Parses and validates {@code {policies: {...}, networkLimits: {...}}}. */
  public static RetryPolicies fromJson(JsonObject root) {
    JsonObject policies = root.getJsonObject("policies");
    if (policies == null) {
      throw new IllegalArgumentException("'policies' is missing");
    }
    for (String key : policies.fieldNames()) {
      if (!keys().contains(key)) {
        throw new IllegalArgumentException("policies." + key + ": not a decline class or " + UNKNOWN);
      }
    }
    Map<String, RetryPolicy> byKey = new LinkedHashMap<>();
    for (String key : keys()) {
      JsonObject p = policies.getJsonObject(key);
      if (p == null) {
        throw new IllegalArgumentException("policies." + key + " is missing");
      }
      try {
        byKey.put(key, RetryPolicy.fromJson(p));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("policies." + key + ": " + e.getMessage(), e);
      }
    }
    RetryPolicies result = new RetryPolicies(byKey, NetworkLimits.fromJson(root.getJsonObject("networkLimits")));
    List<Violation> violations = PolicyValidator.validate(result);
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("retry policies break the rules: " + violations);
    }
    return result;
  }

  /** The shipped defaults (conf/retry-policies.yaml as packed in the jar). */
  public static RetryPolicies loadDefaults() {
    try (InputStream in = RetryPolicies.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
      }
      return fromJson(readYaml(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEFAULTS_RESOURCE, e);
    }
  }

  /** An operator's file in the same format. Blocking: call it off the event loop (start-up). */
  public static RetryPolicies load(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return fromJson(readYaml(in));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** YAML to a Vert.x JsonObject; SafeConstructor so a config file cannot instantiate arbitrary classes. */
  static JsonObject readYaml(Reader in) {
    Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    if (!(doc instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("the retry policies file must be a YAML mapping");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> typed = (Map<String, Object>) map;
    return new JsonObject(typed);
  }

  public RetryPolicy forKey(String key) {
    RetryPolicy p = byKey.get(key);
    if (p == null) {
      throw new IllegalArgumentException("no policy '" + key + "'");
    }
    return p;
  }

  public RetryPolicy forClass(DeclineClass c) {
    return byKey.get(c.name());
  }

  public RetryPolicy forClassification(Classification c) {
    return byKey.get(keyOf(c));
  }

  public Map<String, RetryPolicy> all() {
    return byKey;
  }

  public NetworkLimits networkLimits() {
    return networkLimits;
  }

  /**
   * A copy with one tenant policy replaced (rows of the retry_policies table). Validate it first with
   * {@link PolicyValidator#validate(String, RetryPolicy, NetworkLimits)}; the planner enforces the network limits
   * either way.
   */
  public RetryPolicies withOverride(String key, RetryPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    if (!byKey.containsKey(key)) {
      throw new IllegalArgumentException("no policy '" + key + "'");
    }
    Map<String, RetryPolicy> copy = new LinkedHashMap<>(byKey);
    copy.put(key, policy);
    return new RetryPolicies(copy, networkLimits);
  }

  public JsonObject toJson() {
    JsonObject policies = new JsonObject();
    byKey.forEach((k, p) -> policies.put(k, p.toJson()));
    return new JsonObject().put("policies", policies).put("networkLimits", networkLimits.toJson());
  }
}
