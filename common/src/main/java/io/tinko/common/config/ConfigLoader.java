package io.tinko.common.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.config.yaml.YamlProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the configuration through vertx-config: shipped defaults (conf/tinko.yaml as packed in the jar), then the
 * operator's file, then TINKO_* environment variables, whose names derive from the default keys.
 */
public final class ConfigLoader {
  static final String DEFAULTS_RESOURCE = "tinko/tinko.yaml";

  private ConfigLoader() {}

  public static Future<TinkoConfig> load(Vertx vertx, Path file, Map<String, String> env) {
    return readDefaults(vertx).compose(defaults -> {
      Future<JsonObject> fromFile = file == null ? Future.succeededFuture(new JsonObject()) : readFile(vertx, file);
      return fromFile.map(user -> {
        JsonObject merged = defaults.copy().mergeIn(user, true);
        applyEnvironment(defaults, merged, "", env);
        return new TinkoConfig(merged);
      });
    });
  }

  private static Future<JsonObject> readDefaults(Vertx vertx) {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IOException(DEFAULTS_RESOURCE + " is missing from the classpath");
      }
      return new YamlProcessor().process(vertx, new JsonObject(), Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      return Future.failedFuture(new ConfigException("cannot read the built-in defaults: " + e.getMessage(), e));
    }
  }

  private static Future<JsonObject> readFile(Vertx vertx, Path file) {
    if (!Files.isRegularFile(file)) {
      return Future.failedFuture(new ConfigException("configuration file " + file + " does not exist"));
    }
    ConfigStoreOptions store = new ConfigStoreOptions().setType("file").setFormat("yaml")
        .setConfig(new JsonObject().put("path", file.toAbsolutePath().toString()));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().addStore(store)
        .setScanPeriod(-1));
    return retriever.getConfig()
        .eventually(retriever::close)
        .recover(err -> Future.failedFuture(new ConfigException(
            "configuration file " + file + " is not valid YAML: " + describeYamlError(rootCause(err).getMessage()),
            err)));
  }

  /** Overrides every leaf that exists in the defaults with TINKO_<PATH_IN_UPPER_SNAKE_CASE> when it is set. */
  static void applyEnvironment(JsonObject defaults, JsonObject target, String prefix, Map<String, String> env) {
    for (String key : defaults.fieldNames()) {
      Object def = defaults.getValue(key);
      String path = prefix.isEmpty() ? key : prefix + "." + key;
      if (def instanceof JsonObject nested) {
        JsonObject sub = target.getJsonObject(key);
        if (sub == null) {
          sub = new JsonObject();
          target.put(key, sub);
        }
        applyEnvironment(nested, sub, path, env);
        continue;
      }
      String value = env.get(envName(path));
      if (value == null) {
        continue;
      }
      target.put(key, convert(path, value, def));
    }
  }

  public static String envName(String path) {
    StringBuilder sb = new StringBuilder("TINKO_");
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '.' || c == '-') {
        sb.append('_');
      } else if (Character.isUpperCase(c)) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString().toUpperCase(Locale.ROOT);
  }

  private static Object convert(String path, String value, Object def) {
    try {
      if (def instanceof Integer || def instanceof Long) {
        return Long.parseLong(value.trim());
      }
      if (def instanceof Boolean) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
          throw new NumberFormatException();
        }
        return Boolean.parseBoolean(value);
      }
      if (def instanceof Double || def instanceof Float) {
        return Double.parseDouble(value.trim());
      }
    } catch (NumberFormatException e) {
      throw new ConfigException(envName(path) + " must be a " + def.getClass().getSimpleName().toLowerCase(Locale.ROOT)
          + " (got '" + value + "')");
    }
    if (def instanceof JsonArray) {
      JsonArray list = new JsonArray();
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          list.add(part.trim());
        }
      }
      return list;
    }
    return value;
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /** SnakeYAML's first line plus where it stopped ("line 3, column 7"), as one line. */
  static String describeYamlError(String message) {
    String first = firstLine(message);
    java.util.regex.Matcher where = java.util.regex.Pattern.compile("line \\d+, column \\d+")
        .matcher(message == null ? "" : message);
    String last = null;
    while (where.find()) {
      last = where.group();
    }
    return last == null ? first : first + " (at " + last + ")";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
