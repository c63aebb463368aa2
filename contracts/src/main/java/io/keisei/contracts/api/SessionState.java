package io.keisei.contracts.api;

import com.fasterxml.jackson.annotation.JsonValue;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * States of a training session and the transitions between them:
 * created → queued → starting → running → pausing → paused, or stopping → stopped, or completed,
 * or failed. Resume (from paused, stopped or failed) starts a new attempt and goes through queued again.
 * Written in lower case ({@link #wire()}).
 */
@Schema(name = "SessionState", description = "created → queued → starting → running → pausing → paused, or stopping → "
        + "stopped, or completed, or failed. Resume (from paused, stopped or failed) starts a new attempt through queued.")
public enum SessionState {
    CREATED, QUEUED, STARTING, RUNNING, PAUSING, PAUSED, STOPPING, STOPPED, COMPLETED, FAILED;

    private Set<SessionState> next;

    static {
        CREATED.next = EnumSet.of(QUEUED, STOPPED, FAILED);
        QUEUED.next = EnumSet.of(STARTING, STOPPED, FAILED);
        // STARTING -> QUEUED: in a cluster, the grant's node was taken before the trainer's pod could be scheduled.
        // STARTING -> STOPPED or PAUSED: stopped or paused before its trainer existed (it is spawned after the start is
        // answered), there is nothing to wait for; the launch then ends the trainer it started.
        STARTING.next = EnumSet.of(QUEUED, RUNNING, STOPPING, STOPPED, PAUSED, FAILED, COMPLETED);
        RUNNING.next = EnumSet.of(PAUSING, STOPPING, COMPLETED, FAILED);
        PAUSING.next = EnumSet.of(PAUSED, STOPPING, STOPPED, FAILED, COMPLETED);
        PAUSED.next = EnumSet.of(QUEUED, STOPPED);
        STOPPING.next = EnumSet.of(STOPPED, FAILED, COMPLETED);
        STOPPED.next = EnumSet.of(QUEUED);
        COMPLETED.next = EnumSet.noneOf(SessionState.class);
        FAILED.next = EnumSet.of(QUEUED);
    }

    public boolean canMoveTo(SessionState target) {
        return next.contains(target);
    }

    /** True while the session holds or waits for resources: its config cannot change and it cannot be deleted. */
    public boolean isActive() {
        return this == QUEUED || isLive();
    }

    /** True while a trainer process may exist for the session. */
    public boolean isLive() {
        return this == STARTING || this == RUNNING || this == PAUSING || this == STOPPING;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SessionState fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
