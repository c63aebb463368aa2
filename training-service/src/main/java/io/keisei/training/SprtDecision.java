package io.keisei.training;

/**
 * What {@link Sprt#decide} answers after some games of a new checkpoint against the current best.
 *
 * @param llr   the log-likelihood ratio of H1 (the new one is {@code elo1} stronger) against H0 ({@code elo0})
 * @param lower {@code ln(beta / (1 - alpha))}: at or below it, H0 is accepted
 * @param upper {@code ln((1 - beta) / alpha)}: at or above it, H1 is accepted
 */
public record SprtDecision(Verdict verdict, double llr, double lower, double upper, int wins, int draws, int losses) {

    public enum Verdict {
        /** The new checkpoint is stronger (by {@code elo1} rather than {@code elo0}): promote it. */
        ACCEPT_H1,
        /** It is not stronger than {@code elo0}: reject it. */
        ACCEPT_H0,
        /** Not decided yet: play more games. */
        CONTINUE
    }

    public int games() {
        return wins + draws + losses;
    }

    public boolean finished() {
        return verdict != Verdict.CONTINUE;
    }
}
