package io.tinko.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Injects {@link TestRedis}: the per-JVM Redis (embedded, or {@code TINKO_TEST_REDIS_URL}). */
public final class RedisExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == TestRedis.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return new TestRedis(SharedServers.redisUrl());
  }
}
