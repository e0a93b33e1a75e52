package io.tinko.engine.support;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/** Blocks the test thread (never an event loop) until a future completes. */
public final class Await {
  private Await() {}

  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
