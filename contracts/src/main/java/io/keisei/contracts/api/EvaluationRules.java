package io.keisei.contracts.api;

import java.util.regex.Pattern;

/** The rules of POST /evaluations, in one place for training-service's checks and the API document. */
public final class EvaluationRules {

    public static final int MAX_GAMES = 2000;
    public static final int DEFAULT_GAMES = 100;
    /** Below training's default (0): an evaluation waits behind training for resources unless asked otherwise. */
    public static final int DEFAULT_PRIORITY = -10;
    public static final int MAX_BASELINE_DEPTH = 4;
    public static final String RANDOM = "random";
    public static final String BASELINE_PREFIX = "baseline:";
    /** A model id as the registry makes them, or a fixed player. */
    public static final Pattern PLAYER = Pattern.compile("random|baseline:[1-4]|[A-Za-z0-9_.:@-]{1,128}");

    private EvaluationRules() {
    }

    /** Whether {@code player} is a fixed player (an anchor of the ratings) rather than a model. */
    public static boolean isFixed(String player) {
        return RANDOM.equals(player) || player.startsWith(BASELINE_PREFIX);
    }
}
