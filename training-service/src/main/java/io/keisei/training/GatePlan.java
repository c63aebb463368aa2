package io.keisei.training;

/**
 * What {@link GatePlanner} decides for a session's gate: what to do next, with the score that decided and why.
 *
 * @param games games to play next ({@link Action#PLAY_MORE} only; else 0)
 * @param wins  the challenger's wins against the best so far (draws, losses likewise)
 * @param llr   the SPRT's log-likelihood ratio after those games; null in games mode or before a test
 * @param reason one sentence for the registry and checkpoint.promoted: the score and the rule that decided
 */
public record GatePlan(Action action, int games, int wins, int draws, int losses, Double llr, String reason) {

    public enum Action {
        /** Gating is off, or there is no checkpoint to gate: nothing to do. */
        IDLE,
        /** Another gate of the session is in progress: the challenger waits for its turn. */
        WAIT,
        /** The session has no best yet: the challenger becomes it without a match. */
        FIRST_BEST,
        /** Not decided: play {@link #games} more games against the best. */
        PLAY_MORE,
        /** The challenger is significantly stronger: it becomes the best. */
        PROMOTE,
        /** It is not (or an SPRT reached its cap undecided). */
        REJECT
    }

    /** Whether the gate of this challenger ended with this plan. */
    public boolean decided() {
        return action == Action.PROMOTE || action == Action.REJECT;
    }
}
