package io.keisei.trainer.learn;

import io.keisei.trainer.shogi.ActionSpace;
import io.keisei.trainer.shogi.Game;
import io.keisei.trainer.shogi.Position;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The binary learner state inside a checkpoint, big-endian via {@link DataOutputStream}:
 * <pre>
 *   int  magic "KSLN", version
 *   int  feature count, action space size, moved/captured/promotion kind counts
 *   int  towerWidth, towerDepth, parameter count
 *        model weights ({@link PolicyValueNet#writeParams}), Adam moments and step count ({@link Adam#write})
 *   long global step, updates done, episodes completed, black wins, white wins, draws, games started
 *   int  episode window count, window head; byte[WINDOW] outcomes; int[WINDOW] lengths
 *   long random state
 *   int  move count, then the moves of the self-play game in progress
 *   int  end marker "KSLE"
 * </pre>
 * Checkpoints already written must keep loading, so any change to this layout needs a new
 * version. The encoding sizes are stored so that a checkpoint from a build with another feature
 * encoding or action space is refused rather than misread.
 */
final class LearnerStateFormat {
    static final int MAGIC = 0x4B534C4E; // "KSLN"
    static final int END_MAGIC = 0x4B534C45; // "KSLE"
    static final int VERSION = 1;

    // far above any game under a sane move limit; guards the allocation against a corrupt count
    private static final int MAX_SAVED_MOVES = 1_000_000;

    private LearnerStateFormat() {
    }

    static void write(SelfPlayLearner l, DataOutputStream out) throws IOException {
        PolicyValueNet net = l.net();
        EpisodeStats stats = l.stats();
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(Features.COUNT);
        out.writeInt(ActionSpace.SIZE);
        out.writeInt(Features.MOVED_KINDS);
        out.writeInt(Features.CAPTURED_KINDS);
        out.writeInt(Features.PROMO_KINDS);
        out.writeInt(net.width);
        out.writeInt(net.depth);
        out.writeInt(net.size());
        net.writeParams(out);
        l.optimizer().write(out);
        long[] results = stats.cumulativeResults();
        for (long v : new long[] {l.globalStep(), l.updatesDone(), stats.episodesCompleted(), results[0], results[1],
                results[2], l.games().started()}) {
            out.writeLong(v);
        }
        EpisodeStats.Window window = stats.window();
        out.writeInt(window.count());
        out.writeInt(window.head());
        out.write(window.outcomes());
        writeInts(out, window.lengths());
        out.writeLong(l.rng().state());
        int[] moves = l.games().moves();
        out.writeInt(moves.length);
        writeInts(out, moves);
        out.writeInt(END_MAGIC);
        out.flush();
    }

    /** See {@link SelfPlayLearner#readState} for what is checked and what each failure throws. */
    static SelfPlayLearner read(DataInputStream in, LearnerSettings s) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException(String.format("not a learner state: bad magic 0x%08X (expected 0x%08X)", magic, MAGIC));
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("unsupported learner state version " + version + " (this build reads " + VERSION + ")");
        }
        expect(in.readInt(), Features.COUNT, "feature count");
        expect(in.readInt(), ActionSpace.SIZE, "action space size");
        expect(in.readInt(), Features.MOVED_KINDS, "moved-piece kinds");
        expect(in.readInt(), Features.CAPTURED_KINDS, "captured-piece kinds");
        expect(in.readInt(), Features.PROMO_KINDS, "promotion kinds");
        int width = in.readInt();
        int depth = in.readInt();
        if (width != s.towerWidth() || depth != s.towerDepth()) {
            throw new IllegalArgumentException("learner state has towerWidth=" + width + ", towerDepth=" + depth
                    + " but the settings ask for towerWidth=" + s.towerWidth() + ", towerDepth=" + s.towerDepth());
        }
        SelfPlayLearner l = new SelfPlayLearner(s, false);
        expect(in.readInt(), l.net().size(), "parameter count");
        l.net().readParams(in);
        l.optimizer().read(in);
        long globalStep = nonNegative(in.readLong(), "global step");
        long updatesDone = nonNegative(in.readLong(), "update count");
        l.restoreProgress(globalStep, updatesDone);
        long episodes = nonNegative(in.readLong(), "episodes completed");
        long blackWins = nonNegative(in.readLong(), "black wins");
        long whiteWins = nonNegative(in.readLong(), "white wins");
        long draws = nonNegative(in.readLong(), "draws");
        l.stats().restoreTotals(episodes, blackWins, whiteWins, draws);
        long gamesStarted = nonNegative(in.readLong(), "games started");
        readWindow(in, l.stats());
        l.rng().setState(in.readLong());
        int n = in.readInt();
        if (n < 0 || n > MAX_SAVED_MOVES) {
            throw new IOException("learner state: bad move count " + n);
        }
        int[] moves = new int[n];
        for (int i = 0; i < n; i++) {
            moves[i] = in.readInt();
        }
        if (in.readInt() != END_MAGIC) {
            throw new IOException("learner state: missing end marker (truncated or corrupt)");
        }
        l.games().resume(gamesStarted, replay(moves, s));
        return l;
    }

    private static void readWindow(DataInputStream in, EpisodeStats stats) throws IOException {
        int count = in.readInt();
        int head = in.readInt();
        if (count < 0 || count > EpisodeStats.WINDOW || head < 0 || head >= EpisodeStats.WINDOW) {
            throw new IOException("learner state: corrupt episode window");
        }
        byte[] outcomes = new byte[EpisodeStats.WINDOW];
        in.readFully(outcomes);
        int[] lengths = new int[EpisodeStats.WINDOW];
        for (int i = 0; i < EpisodeStats.WINDOW; i++) {
            lengths[i] = in.readInt();
            if (outcomes[i] < EpisodeStats.BLACK_WIN || outcomes[i] > EpisodeStats.DRAW || lengths[i] < 0) {
                throw new IOException("learner state: corrupt episode window");
            }
        }
        stats.restoreWindow(new EpisodeStats.Window(count, head, outcomes, lengths));
    }

    /**
     * Rebuilds the game in progress under the settings' move limit, which may be smaller than the
     * saved run's; moves past the point where that limit ends the game are ignored.
     */
    private static Game replay(int[] moves, LearnerSettings s) throws IOException {
        Game g = new Game(Position.startpos(), s.maxMovesPerGame());
        try {
            for (int mv : moves) {
                if (g.isOver()) {
                    break;
                }
                g.play(mv);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("learner state: the saved game in progress is not legal: " + e.getMessage(), e);
        }
        return g;
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static void expect(int found, int expected, String what) throws IOException {
        if (found != expected) {
            throw new IOException("learner state has " + what + " " + found + ", this build uses " + expected);
        }
    }

    private static long nonNegative(long v, String what) throws IOException {
        if (v < 0) {
            throw new IOException("learner state: negative " + what);
        }
        return v;
    }
}
