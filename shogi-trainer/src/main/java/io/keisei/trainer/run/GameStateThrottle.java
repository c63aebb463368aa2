package io.keisei.trainer.run;

/**
 * Lets through at most one game state per interval, always including the final position of a
 * game, so a live board stays smooth without flooding the stream (about 10 per second in total).
 */
public final class GameStateThrottle {

    private final long intervalNanos;
    private long last = Long.MIN_VALUE / 2;

    public GameStateThrottle(long intervalMillis) {
        this.intervalNanos = intervalMillis * 1_000_000;
    }

    public synchronized boolean allow(boolean gameOver, long nowNanos) {
        if (gameOver || nowNanos - last >= intervalNanos) {
            last = nowNanos;
            return true;
        }
        return false;
    }
}
