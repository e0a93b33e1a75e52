package io.tinko.engine.recovery;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One row of {@code recovery_attempts} as the engine holds it while deciding. {@code createdAt} (the partition key)
 * is null for an attempt inserted by the current database transaction.
 */
final class AttemptRef {
  static final String SCHEDULED = "scheduled";
  static final String RUNNING = "running";
  static final String SUCCEEDED = "succeeded";
  static final String DECLINED = "declined";
  static final String ERROR = "error";
  static final String CANCELLED = "cancelled";

  final UUID id;
  final OffsetDateTime createdAt;
  final int attemptNo;
  final String idempotencyKey;
  String status;
  Instant dueAt;
  int calls;
  UUID decisionId;

  AttemptRef(UUID id, OffsetDateTime createdAt, int attemptNo, String idempotencyKey, String status, Instant dueAt,
             int calls, UUID decisionId) {
    this.id = id;
    this.createdAt = createdAt;
    this.attemptNo = attemptNo;
    this.idempotencyKey = idempotencyKey;
    this.status = status;
    this.dueAt = dueAt;
    this.calls = calls;
    this.decisionId = decisionId;
  }

  boolean isNew() {
    return createdAt == null;
  }

  /** {@code tinko:<tenant>:<transaction>:<attempt-no>}: one key per attempt, reused only to resend that attempt. */
  static String idempotencyKey(UUID orgId, UUID transactionId, int attemptNo) {
    return "tinko:" + orgId + ":" + transactionId + ":" + attemptNo;
  }
}
