package io.tinko.engine.execute;

import io.tinko.common.domain.Psp;
import io.tinko.engine.normalize.Money;
import io.tinko.engine.recovery.ClaimRef;

/**
 * A due attempt this executor claimed, with what charging it needs from its transaction and PSP connection.
 *
 * @param transactionStatus the transaction's status at claim time (a recovered one is not charged)
 */
public record ClaimedAttempt(ClaimRef ref, int attemptNo, String idempotencyKey, String pspRef, Psp psp,
                             String transactionStatus, String endpointId, String invoiceId, String paymentId,
                             String subscriptionId, String customerId, String paymentMethodId, String customerEmail,
                             Money amount, String apiBaseUrl, byte[] credentialsEnc, String connectionStatus) {
}
