package io.tinko.gateway.webhook.verify;

/**
 * Outcome of checking a webhook's signature. Everything but {@link #VALID} is answered 401 with a generic reason;
 * the distinction feeds metrics ({@code bad_signature} / {@code expired}) and the event log, never the response.
 */
public enum Verdict {
  VALID,
  /** A required signature header is absent. */
  MISSING,
  /** A signature header is present but cannot be parsed. */
  MALFORMED,
  /** No signature matches any active secret. */
  MISMATCH,
  /** The signed timestamp is outside the tolerance (too old or too far in the future). */
  EXPIRED
}
