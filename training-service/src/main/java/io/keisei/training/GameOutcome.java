package io.keisei.training;

import java.util.Objects;

/**
 * One evaluation game between players {@code a} and {@code b}, as {@link RatingFit} reads it.
 *
 * @param scoreA what {@code a} scored: 1 = {@code a} won, 0.5 = draw, 0 = {@code b} won (nothing else)
 */
public record GameOutcome(String a, String b, double scoreA) {

    public GameOutcome {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.equals(b)) {
            throw new IllegalArgumentException("a player cannot play itself: " + a);
        }
        if (scoreA != 0.0 && scoreA != 0.5 && scoreA != 1.0) {
            throw new IllegalArgumentException("scoreA must be 0, 0.5 or 1, was " + scoreA);
        }
    }

    /** {@code winner} beat {@code loser}. */
    public static GameOutcome win(String winner, String loser) {
        return new GameOutcome(winner, loser, 1.0);
    }

    public static GameOutcome draw(String a, String b) {
        return new GameOutcome(a, b, 0.5);
    }
}
