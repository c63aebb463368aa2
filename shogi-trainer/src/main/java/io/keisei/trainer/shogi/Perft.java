package io.keisei.trainer.shogi;

/**
 * Perft: counts the leaf nodes of the legal move tree to a fixed depth, the standard way to prove
 * a move generator exact. Besides nodes it counts, for the moves of the last ply, captures,
 * promotions and checks, and the leaf positions whose side to move is checkmated (in check with
 * no legal move; positions with no legal move while not in check are not counted, matching the
 * published shogi perft tables).
 */
public final class Perft {
    /** Totals of one perft run. */
    public record Result(long nodes, long captures, long promotions, long checks, long checkmates) {
        /** The one-line form printed by the CLI. */
        public String line() {
            return "nodes=" + nodes + " captures=" + captures + " promotions=" + promotions
                    + " checks=" + checks + " checkmates=" + checkmates;
        }
    }

    private final Position pos;
    private final MoveList[] lists;
    private long nodes;
    private long captures;
    private long promotions;
    private long checks;
    private long checkmates;

    private Perft(Position pos, int depth) {
        this.pos = pos;
        this.lists = new MoveList[Math.max(depth, 1) + 1];
        for (int i = 0; i < lists.length; i++) {
            lists[i] = new MoveList();
        }
    }

    /** Runs perft to {@code depth} (>= 0) from {@code pos}; the position is restored afterwards. */
    public static Result run(Position pos, int depth) {
        if (depth < 0) {
            throw new IllegalArgumentException("depth must be >= 0");
        }
        Perft p = new Perft(pos, depth);
        if (depth == 0) {
            return new Result(1, 0, 0, 0, pos.isCheckmate() ? 1 : 0);
        }
        p.search(depth);
        return new Result(p.nodes, p.captures, p.promotions, p.checks, p.checkmates);
    }

    /** Leaf-node count only, without the per-move statistics (faster: no check test per leaf). */
    public static long count(Position pos, int depth) {
        if (depth == 0) {
            return 1;
        }
        return new Perft(pos, depth).countNodes(depth);
    }

    private long countNodes(int depth) {
        MoveList list = lists[depth];
        pos.legalMoves(list);
        if (depth == 1) {
            return list.size();
        }
        long n = 0;
        int[] moves = list.raw();
        for (int i = 0, size = list.size(); i < size; i++) {
            pos.play(moves[i]);
            n += countNodes(depth - 1);
            pos.undo();
        }
        return n;
    }

    private void search(int depth) {
        MoveList list = lists[depth];
        pos.legalMoves(list);
        int[] moves = list.raw();
        int size = list.size();
        if (depth > 1) {
            for (int i = 0; i < size; i++) {
                pos.play(moves[i]);
                search(depth - 1);
                pos.undo();
            }
            return;
        }
        nodes += size;
        for (int i = 0; i < size; i++) {
            int m = moves[i];
            if (Move.isCapture(m)) {
                captures++;
            }
            if (Move.isPromotion(m)) {
                promotions++;
            }
            pos.play(m);
            if (pos.isCheck()) {
                checks++;
                if (!pos.hasLegalMove()) {
                    checkmates++;
                }
            }
            pos.undo();
        }
    }
}
