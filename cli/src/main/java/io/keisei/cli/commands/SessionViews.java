package io.keisei.cli.commands;

import io.keisei.cli.output.Details;
import io.keisei.cli.output.Formats;
import io.keisei.cli.output.Table;
import io.keisei.contracts.api.Session;

import java.time.Instant;
import java.util.List;

/** How sessions look in tables and summaries (the contract's {@link Session}). */
final class SessionViews {

    private SessionViews() {
    }

    static Table table(List<Session> sessions) {
        // The id is what one copies and the state what one looks for: they never shrink; the rest gives way.
        Table t = new Table("ID", "NAME", "STATE", "STEP", "OWNER", "TRAINER", "PRIORITY", "UPDATED").fixed(0, 2)
                .optional(7, 6, 5, 4, 3);
        for (Session s : sessions) {
            t.row(s.id(), s.name(), s.state() == null ? "" : s.state().wire(), Formats.count(s.currentStep()), s.owner(),
                    s.trainer(), s.priority(), time(s.updatedAt()));
        }
        return t;
    }

    static Details details(Session s) {
        return new Details()
                .add("ID", s.id())
                .add("Name", s.name())
                .add("State", state(s))
                .add("Owner", s.owner())
                .add("Priority", s.priority())
                .add("Template", s.template())
                .add("Trainer", s.trainer())
                .add("Pool", s.pool())
                .add("Step", Formats.count(s.currentStep()))
                .add("Attempts", s.attempts())
                .add("Latest checkpoint", s.latestCheckpointId())
                .add("Resumed from", s.resumeFromCheckpointId())
                .add("Created", time(s.createdAt()))
                .add("Updated", time(s.updatedAt()));
    }

    /** "running", or "queued (needs 1 GPU, 0 of 1 free)". */
    static String state(Session s) {
        String state = s.state() == null ? "?" : s.state().wire();
        return s.stateReason() == null || s.stateReason().isBlank() ? state : state + " (" + s.stateReason() + ")";
    }

    static String stateLine(Session s) {
        return "Session " + s.id() + " (" + s.name() + "): " + state(s) + "\n";
    }

    static String time(Instant t) {
        return t == null ? "" : Formats.time(t);
    }
}
