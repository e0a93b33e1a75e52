package io.tinko.common.bus;

/** Event-bus addresses shared by the gateway and the engine, local or clustered. */
public final class Addresses {
  /** Point-to-point: a stored inbound webhook for one engine to process ({@link InboundEvent}). */
  public static final String INBOUND_EVENT = "tinko.webhooks.inbound";
  /** Publish: a PSP connection was created or changed; every gateway reloads it ({@code {"id": ...}}). */
  public static final String ENDPOINT_CHANGED = "tinko.endpoints.changed";
  /** Request/reply: every process answers, used by readiness checks of the event bus. */
  public static final String PING = "tinko.ping";

  private Addresses() {}
}
