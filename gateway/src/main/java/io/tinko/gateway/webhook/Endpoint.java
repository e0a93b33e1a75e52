package io.tinko.gateway.webhook;

import io.tinko.common.domain.Psp;
import java.util.List;
import java.util.UUID;

/**
 * A merchant's webhook endpoint as the gateway needs it on every request, held in memory.
 *
 * @param secrets       active webhook secrets in clear, the current one first (two during a rotation)
 * @param webhookId     PayPal's webhook id for this endpoint (part of PayPal's signed message), else null
 * @param maxBodyBytes  0 = the deployment default
 */
public record Endpoint(String id, UUID orgId, Psp psp, boolean active, List<String> secrets, String webhookId,
                       int ratePerSecond, int maxBodyBytes) {
}
