package io.keisei.training.service;

/**
 * A checkpoint was newly registered, waiting for its gate ({@code pending}), and committed: a CDI event that
 * {@link CheckpointGate} observes to gate it, synchronously on the registering thread.
 */
public record CheckpointRegistered(String session, String checkpoint) {
}
