package io.tinko.engine.recovery;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A claimed attempt as the recorder needs it: the row ({@code id}, {@code createdAt}), the claim it must still hold
 * ({@code claimedAt}: a claim that ran past its lease may have been taken over, and then its outcome is dropped),
 * and how many times the charge was sent, this time included.
 */
public record ClaimRef(UUID id, OffsetDateTime createdAt, Instant claimedAt, UUID orgId, UUID transactionId,
                       int calls) {
}
