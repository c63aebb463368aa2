package io.keisei.contracts;

/**
 * A message of the Keisei stream protocol. Every message carries {@code v}, the schema version
 * of its type; a consumer rejects versions it does not know instead of guessing.
 */
public sealed interface StreamMessage permits MetricUpdate, GameState, LifecycleEvent, SystemStatus, ControlCommand {

    /** Schema version of this message. */
    int v();
}
