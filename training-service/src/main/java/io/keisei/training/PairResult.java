package io.keisei.training;

import java.util.Objects;

/**
 * The games of one pair of players, aggregated: what {@link RatingFit} fits (its cost depends on
 * the number of pairs, not of games), and what a caller can keep to re-run the fit cheaply.
 *
 * @param winsA games {@code a} won
 * @param draws drawn games
 * @param winsB games {@code b} won
 */
public record PairResult(String a, String b, int winsA, int draws, int winsB) {

    public PairResult {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.equals(b)) {
            throw new IllegalArgumentException("a player cannot play itself: " + a);
        }
        if (winsA < 0 || draws < 0 || winsB < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + winsA + "/" + draws + "/" + winsB);
        }
    }

    public int games() {
        return winsA + draws + winsB;
    }

    /** The same games seen from {@code b}. */
    public PairResult swapped() {
        return new PairResult(b, a, winsB, draws, winsA);
    }
}
