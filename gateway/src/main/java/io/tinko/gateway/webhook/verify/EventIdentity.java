package io.tinko.gateway.webhook.verify;

/** The PSP's id of an event (the de-duplication key within one endpoint) and its type, e.g. invoice.payment_failed. */
public record EventIdentity(String eventId, String eventType) {
}
