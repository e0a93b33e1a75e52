package io.tinko.engine.normalize;

/** What an event means for recovery: a payment failed, a payment succeeded, or nothing we act on. */
public enum EventKind {
  FAILED, SUCCEEDED, UNKNOWN
}
