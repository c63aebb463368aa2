package io.keisei.trainer.learn;

import io.keisei.contracts.MetricNames;
import io.keisei.trainer.shogi.GameResult;

import java.util.Map;

/**
 * Results of finished self-play games: cumulative counts, and the outcome and length of the last
 * {@value #WINDOW} games, over which the reward, length and win/draw-rate metrics are computed.
 * A window of games rather than the games of one epoch keeps those metrics meaningful when an
 * epoch is shorter than a game.
 */
final class EpisodeStats {
    static final int WINDOW = 100;

    static final byte BLACK_WIN = 0;
    static final byte WHITE_WIN = 1;
    static final byte DRAW = 2;

    private long episodesCompleted;
    private long blackWins;
    private long whiteWins;
    private long draws;
    private final byte[] windowOutcome = new byte[WINDOW];
    private final int[] windowLength = new int[WINDOW];
    private int windowCount;
    private int windowHead;

    /** Records a finished game of {@code length} plies. */
    void record(GameResult r, int length) {
        episodesCompleted++;
        byte o;
        switch (r.outcome()) {
            case BLACK_WIN -> {
                blackWins++;
                o = BLACK_WIN;
            }
            case WHITE_WIN -> {
                whiteWins++;
                o = WHITE_WIN;
            }
            default -> {
                draws++;
                o = DRAW;
            }
        }
        windowOutcome[windowHead] = o;
        windowLength[windowHead] = length;
        windowHead = (windowHead + 1) % WINDOW;
        windowCount = Math.min(WINDOW, windowCount + 1);
    }

    /** Puts the window's reward mean (Black's view), length mean and win/draw rates; all 0 before a game ends. */
    void putWindowMetrics(Map<String, Double> m) {
        int n = windowCount;
        int b = 0;
        int w = 0;
        int d = 0;
        long len = 0;
        for (int i = 0; i < n; i++) {
            switch (windowOutcome[i]) {
                case BLACK_WIN -> b++;
                case WHITE_WIN -> w++;
                default -> d++;
            }
            len += windowLength[i];
        }
        double inv = n == 0 ? 0.0 : 1.0 / n;
        m.put(MetricNames.EPISODE_REWARD_MEAN, (b - w) * inv);
        m.put(MetricNames.EPISODE_LENGTH_MEAN, len * inv);
        m.put(MetricNames.BLACK_WIN_RATE, b * inv);
        m.put(MetricNames.WHITE_WIN_RATE, w * inv);
        m.put(MetricNames.DRAW_RATE, d * inv);
    }

    long episodesCompleted() {
        return episodesCompleted;
    }

    /** Cumulative results: black wins, white wins, draws. */
    long[] cumulativeResults() {
        return new long[] {blackWins, whiteWins, draws};
    }

    /**
     * The last games as a ring: {@code head} is the slot the next finished game goes to, each
     * outcome {@link #BLACK_WIN}, {@link #WHITE_WIN} or {@link #DRAW}.
     */
    record Window(int count, int head, byte[] outcomes, int[] lengths) {
    }

    Window window() {
        return new Window(windowCount, windowHead, windowOutcome.clone(), windowLength.clone());
    }

    void restoreTotals(long episodes, long black, long white, long drawn) {
        episodesCompleted = episodes;
        blackWins = black;
        whiteWins = white;
        draws = drawn;
    }

    /** Restores the window; the caller has checked the values ({@link LearnerStateFormat}). */
    void restoreWindow(Window w) {
        windowCount = w.count();
        windowHead = w.head();
        System.arraycopy(w.outcomes(), 0, windowOutcome, 0, WINDOW);
        System.arraycopy(w.lengths(), 0, windowLength, 0, WINDOW);
    }
}
