package io.keisei.trainer.shogi;

/**
 * Generates exactly the legal moves of a {@link Position}.
 *
 * <p>Instead of playing every pseudo-legal move and testing the king, it first scans the eight
 * lines from the own king once to find checkers and pinned pieces. Then:
 * <ul>
 *   <li>in double check only king moves are generated;</li>
 *   <li>in single check other moves must land on the checker or between it and the king;</li>
 *   <li>a pinned piece may only move along its pin line;</li>
 *   <li>king moves are tested with the king lifted off the board (so it cannot hide behind itself).</li>
 * </ul>
 * Drops can never expose the own king, so only nifu, dead-piece squares and uchifuzume are
 * checked. Uchifuzume needs a real test (drop, ask whether the opponent has any legal move,
 * undo); it only runs for a pawn dropped right in front of the enemy king, which is rare.
 */
final class MoveGenerator {
    private final Position pos;
    /** pinned[sq] == stamp marks a pinned own piece during the current call. */
    private final int[] pinned = new int[81];
    /** target[sq] == stamp marks squares that resolve a single check during the current call. */
    private final int[] target = new int[81];
    private int stamp;
    private final MoveList scratch = new MoveList();
    private final int[] dropTypes = new int[7];
    /** Separate generator for the uchifuzume test, which runs while this one is mid-generation. */
    private MoveGenerator nested;

    MoveGenerator(Position pos) {
        this.pos = pos;
    }

    boolean hasLegalMove() {
        generate(scratch);
        return !scratch.isEmpty();
    }

    void generate(MoveList out) {
        out.clear();
        if (++stamp == Integer.MAX_VALUE) {
            java.util.Arrays.fill(pinned, 0);
            java.util.Arrays.fill(target, 0);
            stamp = 1;
        }
        final int s = stamp;
        final int[] board = pos.board;
        final int us = pos.side;
        final int them = us ^ 1;
        final int ksq = pos.kingSq[us];

        int checkers = ksq >= 0 ? scanKingLines(ksq, us, them, s) : 0;
        boolean inCheck = checkers > 0;

        int pawnFiles = 0;
        for (int from = 0; from < 81; from++) {
            int p = board[from];
            if (p == 0 || (p >>> 4) != us) {
                continue;
            }
            int type = p & 15;
            if (type == Piece.PAWN) {
                pawnFiles |= 1 << (from % 9);
            }
            if (type == Piece.KING) {
                kingMoves(from, p, them, out);
                continue;
            }
            if (checkers > 1) {
                continue;
            }
            boolean isPinned = pinned[from] == s;
            int pinDir = isPinned ? Geometry.DIRECTION[ksq * 81 + from] : -1;
            int kBase = ksq * 81;
            for (int to : Geometry.STEPS[p][from]) {
                int q = board[to];
                if (q != 0 && (q >>> 4) == us) {
                    continue;
                }
                if (inCheck && target[to] != s) {
                    continue;
                }
                if (isPinned && Geometry.DIRECTION[kBase + to] != pinDir) {
                    continue;
                }
                addBoardMove(from, to, p, q, us, out);
            }
            for (int d : Geometry.SLIDE_DIRS[p]) {
                for (int to : Geometry.RAYS[from][d]) {
                    int q = board[to];
                    if (q != 0 && (q >>> 4) == us) {
                        break;
                    }
                    if ((!inCheck || target[to] == s) && (!isPinned || Geometry.DIRECTION[kBase + to] == pinDir)) {
                        addBoardMove(from, to, p, q, us, out);
                    }
                    if (q != 0) {
                        break;
                    }
                }
            }
        }
        if (checkers <= 1) {
            drops(us, them, inCheck, pawnFiles, s, out);
        }
    }

    /**
     * Walks the eight lines and the knight squares around the own king, marking pinned pieces and,
     * for each checker, the squares that would answer the check. Returns the number of checkers.
     */
    private int scanKingLines(int ksq, int us, int them, int s) {
        final int[] board = pos.board;
        int checkers = 0;
        for (int d = 0; d < 8; d++) {
            int[] ray = Geometry.RAYS[ksq][d];
            int towardKing = 1 << ((d + 4) & 7);
            int shield = -1;
            for (int i = 0; i < ray.length; i++) {
                int p = board[ray[i]];
                if (p == 0) {
                    continue;
                }
                if ((p >>> 4) == us) {
                    if (shield >= 0) {
                        break; // two own pieces: nothing behind can pin or check
                    }
                    shield = ray[i];
                    continue;
                }
                boolean slides = (Geometry.SLIDE_MASK[p] & towardKing) != 0;
                if (shield < 0) {
                    if (slides || (i == 0 && (Geometry.STEP_MASK[p] & towardKing) != 0)) {
                        checkers++;
                        for (int j = 0; j <= i; j++) {
                            target[ray[j]] = s;
                        }
                    }
                } else if (slides) {
                    pinned[shield] = s;
                }
                break;
            }
        }
        int knight = Piece.make(them, Piece.KNIGHT);
        for (int t : Geometry.KNIGHT_ATTACKERS[them][ksq]) {
            if (board[t] == knight) {
                checkers++;
                target[t] = s;
            }
        }
        return checkers;
    }

    private void kingMoves(int from, int king, int them, MoveList out) {
        final int[] board = pos.board;
        int us = them ^ 1;
        board[from] = 0; // lift the king so sliders see through its old square
        for (int to : Geometry.STEPS[king][from]) {
            int q = board[to];
            if (q != 0 && (q >>> 4) == us) {
                continue;
            }
            if (!pos.isAttacked(to, them)) {
                out.add(Move.board(from, to, false, king, q));
            }
        }
        board[from] = king;
    }

    /** Adds the promoting and/or non-promoting versions of a board move, as the rules allow. */
    private static void addBoardMove(int from, int to, int piece, int captured, int us, MoveList out) {
        int type = piece & 15;
        if (Piece.canPromote(type) && (Square.inPromotionZone(us, from) || Square.inPromotionZone(us, to))) {
            out.add(Move.board(from, to, true, piece, captured));
            int edge = Square.ranksToEdge(us, to);
            boolean forced = ((type == Piece.PAWN || type == Piece.LANCE) && edge == 0)
                    || (type == Piece.KNIGHT && edge <= 1);
            if (forced) {
                return;
            }
        }
        out.add(Move.board(from, to, false, piece, captured));
    }

    private void drops(int us, int them, boolean inCheck, int pawnFiles, int s, MoveList out) {
        final int[] board = pos.board;
        final int[] hand = pos.hand[us];
        int[] types = dropTypes;
        int n = 0;
        for (int t = Piece.PAWN; t <= Piece.GOLD; t++) {
            if (hand[t] > 0) {
                types[n++] = t;
            }
        }
        if (n == 0) {
            return;
        }
        for (int to = 0; to < 81; to++) {
            if (board[to] != 0 || (inCheck && target[to] != s)) {
                continue;
            }
            int edge = Square.ranksToEdge(us, to);
            for (int i = 0; i < n; i++) {
                int t = types[i];
                if (t == Piece.PAWN) {
                    if (edge == 0 || (pawnFiles & (1 << (to % 9))) != 0) {
                        continue;
                    }
                    int move = Move.drop(to, Piece.make(us, Piece.PAWN));
                    if (isPawnDropMate(to, us, them, move)) {
                        continue;
                    }
                    out.add(move);
                } else if ((t == Piece.LANCE && edge == 0) || (t == Piece.KNIGHT && edge <= 1)) {
                    continue;
                } else {
                    out.add(Move.drop(to, Piece.make(us, t)));
                }
            }
        }
    }

    /** Uchifuzume: a pawn dropped in front of the enemy king that leaves it no legal reply. */
    private boolean isPawnDropMate(int to, int us, int them, int move) {
        int front = us == Piece.BLACK ? to - 9 : to + 9;
        if (pos.kingSq[them] != front) {
            return false;
        }
        pos.play(move);
        if (nested == null) {
            nested = new MoveGenerator(pos);
        }
        boolean mate = !nested.hasLegalMove();
        pos.undo();
        return mate;
    }
}
