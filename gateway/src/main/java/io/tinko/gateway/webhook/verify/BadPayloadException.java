package io.tinko.gateway.webhook.verify;

/** The body is not JSON or carries no event id: answered 400. */
public final class BadPayloadException extends Exception {
  public BadPayloadException(String message) {
    super(message, null, false, false);
  }
}
