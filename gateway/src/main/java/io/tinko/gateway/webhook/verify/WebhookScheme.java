package io.tinko.gateway.webhook.verify;

import io.tinko.common.domain.Psp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * One PSP's webhook scheme: how its signature is checked on the raw body and where its event id lives.
 *
 * <p>Instances are created per HTTP verticle (one per event loop) and are not thread-safe: they may keep
 * {@code Mac} instances and buffers for reuse. HMAC schemes answer with an already completed future; PayPal may have
 * to fetch its signing certificate first.
 */
public interface WebhookScheme {
  Psp psp();

  /**
   * @param body       the exact bytes received
   * @param headers    request headers (case-insensitive)
   * @param secrets    the endpoint's active webhook secrets as configured by the merchant (the current one first,
   *                   the previous one during a rotation); their format is the PSP's (Stripe {@code whsec_...} used
   *                   as-is, Standard Webhooks {@code whsec_<base64>}, Razorpay the plain secret)
   * @param webhookId  PayPal only: the webhook id PayPal assigned to this endpoint (part of the signed message)
   * @param nowEpochSeconds the receiver's clock, for timestamp tolerance
   */
  Future<Verdict> verify(byte[] body, MultiMap headers, List<String> secrets, String webhookId, long nowEpochSeconds);

  /** Reads the event id and type, from the headers or the JSON body as the PSP puts them. */
  EventIdentity identify(byte[] body, MultiMap headers) throws BadPayloadException;

  /** Names of the headers stored with the event so that it can be verified again later. */
  List<String> signatureHeaders();
}
