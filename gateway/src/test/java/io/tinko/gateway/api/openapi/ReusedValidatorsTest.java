package io.tinko.gateway.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReusedValidatorsTest {
  private static Vertx vertx;
  private static OpenAPIContract contract;

  @BeforeAll
  static void load() throws Exception {
    vertx = Vertx.vertx();
    contract = OpenAPIContract.from(vertx, OpenApi.readDocument()).await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static JsonSchema queryParameter(String operationId, String name) {
    return contract.operation(operationId).getParameters().stream()
        .filter(p -> p.getIn() == Location.QUERY && p.getName().equals(name)).map(Parameter::getSchema)
        .findFirst().orElseThrow();
  }

  @Test
  @DisplayName("one validator per schema, made once; the contract's own repository makes a new one each call")
  void madeOnce() {
    ReusedValidators reused = new ReusedValidators(contract);
    JsonSchema by = queryParameter("analyticsBreakdown", "by");
    Validator first = reused.getSchemaRepository().validator(by);
    assertThat(reused.getSchemaRepository().validator(by)).isSameAs(first);
    assertThat(reused.getSchemaRepository().validator(queryParameter("analyticsBreakdown", "from")))
        .isNotSameAs(first);
    assertThat(contract.getSchemaRepository().validator(by)).isNotSameAs(contract.getSchemaRepository()
        .validator(by));
    assertThat(reused.operation("analyticsBreakdown")).isSameAs(contract.operation("analyticsBreakdown"));
  }

  @Test
  @DisplayName("a shared validator gives each of many concurrent callers its own right answer")
  void concurrentUse() throws Exception {
    Validator by = new ReusedValidators(contract).getSchemaRepository()
        .validator(queryParameter("analyticsBreakdown", "by"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> answers = new ArrayList<>();
      List<Boolean> expected = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        boolean good = i % 3 != 0;
        String value = good ? "decline_class" : "no_such_dimension_" + i;
        expected.add(good);
        answers.add(pool.submit((Callable<Boolean>) () -> by.validate(value).getValid()));
      }
      List<Boolean> got = new ArrayList<>();
      for (Future<Boolean> f : answers) {
        got.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(got).isEqualTo(expected);
    } finally {
      pool.shutdownNow();
    }
  }
}
