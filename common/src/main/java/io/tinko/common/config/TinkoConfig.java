package io.tinko.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The merged configuration (defaults, file, environment), read by dotted path. Every key exists in the shipped
 * defaults, so a missing key is a programming error and fails loudly.
 */
public final class TinkoConfig {
  private final JsonObject root;

  public TinkoConfig(JsonObject root) {
    this.root = root;
  }

  public JsonObject json() {
    return root.copy();
  }

  /** A copy with one value replaced, for command-line flags and tests. */
  public TinkoConfig with(String path, Object value) {
    JsonObject copy = root.copy();
    String[] parts = path.split("\\.");
    JsonObject node = copy;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
      if (node == null) {
        throw new IllegalArgumentException("unknown configuration key " + path);
      }
    }
    node.put(parts[parts.length - 1], value);
    return new TinkoConfig(copy);
  }

  public String string(String path) {
    Object v = value(path);
    return v == null ? "" : v.toString();
  }

  public int integer(String path) {
    Object v = value(path);
    if (v instanceof Number n) {
      return n.intValue();
    }
    throw new ConfigException(path + " must be a number (got '" + v + "')");
  }

  public long longValue(String path) {
    Object v = value(path);
    if (v instanceof Number n) {
      return n.longValue();
    }
    throw new ConfigException(path + " must be a number (got '" + v + "')");
  }

  public List<String> list(String path) {
    Object v = value(path);
    List<String> out = new ArrayList<>();
    if (v instanceof JsonArray arr) {
      arr.forEach(o -> out.add(String.valueOf(o)));
    } else if (v != null && !v.toString().isBlank()) {
      for (String part : v.toString().split(",")) {
        out.add(part.trim());
      }
    }
    return out;
  }

  public Path dataDir() {
    return Path.of(string("embedded.dataDir"));
  }

  public int httpPort() {
    return integer("http.port");
  }

  public String publicUrl() {
    String url = string("http.publicUrl");
    if (url.isBlank()) {
      return "http://localhost:" + httpPort();
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private Object value(String path) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
      if (node == null) {
        throw new IllegalArgumentException("unknown configuration key " + path);
      }
    }
    if (!node.containsKey(parts[parts.length - 1])) {
      throw new IllegalArgumentException("unknown configuration key " + path);
    }
    return node.getValue(parts[parts.length - 1]);
  }
}
