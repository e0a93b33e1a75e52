package io.tinko.testing;

/** The test JVM's shared Redis. Keys written by tests must be namespaced by something unique to the test class. */
public record TestRedis(String url) {
}
