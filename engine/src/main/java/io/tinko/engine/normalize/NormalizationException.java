package io.tinko.engine.normalize;

/**
 * A payload that claims a type we handle but cannot be read: not JSON, no usable id, an amount that does not fit
 * its currency. Unknown event types are not errors (they normalize to {@link EventType#IGNORED}).
 */
public class NormalizationException extends RuntimeException {
  public NormalizationException(String message) {
    super(message);
  }

  public NormalizationException(String message, Throwable cause) {
    super(message, cause);
  }
}
