package io.tinko.gateway.api.openapi;

import io.tinko.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The merchant API's contract, {@value #RESOURCE} in this module's resources: served as JSON at /openapi.json and
 * used to validate every request's parameters and body (vertx-openapi) before a handler runs. A request that does
 * not match answers 400 naming each failing field.
 */
public final class OpenApi {
  public static final String RESOURCE = "openapi.yaml";
  private static final Pattern GENERIC = Pattern.compile(
      "does not match schema|A subschema had errors|does not match additional properties schema");

  private final OpenAPIContract contract;
  private final RequestValidator validator;
  private final Buffer json;

  private OpenApi(Vertx vertx, OpenAPIContract contract, JsonObject document) {
    this.contract = contract;
    this.validator = RequestValidator.create(vertx, new ReusedValidators(contract));
    this.json = document.toBuffer();
  }

  public static Future<OpenApi> load(Vertx vertx) {
    return vertx.executeBlocking(OpenApi::readDocument, false)
        .compose(doc -> OpenAPIContract.from(vertx, doc.copy()).map(c -> new OpenApi(vertx, c, doc)));
  }

  /** The document as a JSON object (YAML keys such as response codes become strings). Blocking. */
  public static JsonObject readDocument() {
    try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      Object doc = new Yaml(new SafeConstructor(new LoaderOptions()))
          .load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return (JsonObject) jsonValue(doc);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public OpenAPIContract contract() {
    return contract;
  }

  public void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(json);
  }

  /** A route handler validating the request against operation {@code operationId}. */
  public Handler<RoutingContext> validate(String operationId) {
    Operation op = contract.operation(operationId);
    if (op == null) {
      throw new IllegalArgumentException("operation " + operationId + " is not in " + RESOURCE);
    }
    // as Stripe does: a parameter the operation does not take is an error, not silently ignored (a typo such as
    // ?stauts=failed would otherwise answer the unfiltered list)
    Set<String> queryNames = new TreeSet<>();
    op.getParameters().stream().filter(p -> p.getIn() == Location.QUERY).forEach(p -> queryNames.add(p.getName()));
    return ctx -> {
      for (String name : ctx.queryParams().names()) {
        if (!queryNames.contains(name)) {
          ctx.fail(new ApiException(400, "validation_failed", "invalid request: unknown query parameter '" + name
              + "'" + (queryNames.isEmpty() ? "; this operation takes none" : "; this operation takes "
              + String.join(", ", queryNames))));
          return;
        }
      }
      Buffer body = ctx.body() == null || ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
      RequestUtils.extract(ctx.request(), op, () -> Future.succeededFuture(body))
          .compose(req -> validator.validate(req, operationId))
          .onSuccess(v -> {
            ctx.put(Params.KEY, v);
            ctx.next();
          })
          .onFailure(err -> ctx.fail(badRequest(err)));
    };
  }

  static ApiException badRequest(Throwable err) {
    if (!(err instanceof ValidatorException ve)) {
      return new ApiException(400, "validation_failed", "invalid request: " + err.getMessage());
    }
    String where = ve.getMessage() == null ? "request" : ve.getMessage();
    if (ve instanceof SchemaValidationException sve && sve.getOutputUnit() != null) {
      Map<String, Set<String>> fields = new LinkedHashMap<>();
      leaves(sve.getOutputUnit(), fields);
      if (!fields.isEmpty()) {
        String part = where.contains("request body") ? "body" : where;
        return new ApiException(400, "validation_failed", "invalid request: " + part + " " + describe(fields));
      }
    }
    return new ApiException(400, "validation_failed", "invalid request: " + where);
  }

  private static void leaves(OutputUnit unit, Map<String, Set<String>> out) {
    List<OutputUnit> errors = unit.getErrors();
    if (errors == null || errors.isEmpty()) {
      if (unit.getError() != null) {
        String loc = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation().replaceFirst("^#", "");
        out.computeIfAbsent(loc.isEmpty() ? "/" : loc, k -> new LinkedHashSet<>()).add(unit.getError());
      }
      return;
    }
    for (OutputUnit e : errors) {
      leaves(e, out);
    }
  }

  /**
   * One clause per failing field with its specific reason; the validator's wrappers ("does not match schema", "a
   * subschema had errors") are dropped where a specific reason exists.
   */
  private static String describe(Map<String, Set<String>> fields) {
    List<String> parts = new ArrayList<>();
    fields.forEach((loc, messages) -> {
      List<String> specific = messages.stream().filter(m -> !GENERIC.matcher(m).find()).toList();
      parts.add(loc + ": " + String.join(", ", specific.isEmpty() ? List.of(messages.iterator().next()) : specific));
    });
    return String.join("; ", parts);
  }

  private static Object jsonValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(String.valueOf(k), jsonValue(val)));
      return new JsonObject(out);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(jsonValue(x)));
      return new JsonArray(out);
    }
    // an unquoted YAML timestamp in an example; JSON has no date type
    return v instanceof java.util.Date d ? d.toInstant().toString() : v;
  }
}
