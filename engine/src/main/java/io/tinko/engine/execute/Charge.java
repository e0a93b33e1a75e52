package io.tinko.engine.execute;

import io.tinko.engine.normalize.Money;
import io.vertx.core.Future;
import java.util.UUID;
import java.util.function.Function;

/**
 * One charge request: the attempt, its idempotency key ({@code tinko:<tenant>:<transaction>:<attempt-no>}, the
 * same on every resend), how many times it has been sent (this time included), the PSP object a previous send left
 * ({@code pspRef}), and what the payment needs. {@code saveRef} durably stores a PSP object created before the charge
 * (Razorpay's order) on the attempt row, so a rerun finds it and asks the PSP before charging again.
 */
public record Charge(UUID attemptId, String idempotencyKey, int attemptNo, int calls, String pspRef,
                     PspConnection connection, String invoiceId, String paymentId, String subscriptionId,
                     String customerId, String paymentMethodId, String customerEmail, Money amount,
                     Function<String, Future<Void>> saveRef) {
}
