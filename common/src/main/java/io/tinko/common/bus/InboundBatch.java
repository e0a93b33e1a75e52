package io.tinko.common.bus;

import java.util.List;

/**
 * The events of one group commit, handed to one engine in one event-bus message: the hand-off then costs one
 * message per group rather than one per webhook. Engines also accept single {@link InboundEvent}s (replays).
 */
public record InboundBatch(List<InboundEvent> events) {
}
