package io.keisei.trainer.shogi;

import java.util.Arrays;

/**
 * A shogi position with make/unmake: a mailbox board ({@code int[81]} of {@link Piece} codes),
 * both hands, the side to move, king squares and an incrementally updated Zobrist hash.
 *
 * <p>{@link #play(int)} trusts its argument: it must be a legal move of this position (as produced
 * by {@link #legalMoves(MoveList)}, {@link Usi#parse} or a masked {@link ActionSpace} index). Skipping
 * validation there is what keeps perft and self-play fast; {@link Game#play(int)} validates.
 *
 * <p>Not thread-safe; use one instance per thread ({@link #copy()} is cheap).
 */
public final class Position {
    public static final String START_SFEN = "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1";

    final int[] board = new int[81];
    /** hand[color][type] for type PAWN..GOLD (index 0 and KING unused). */
    final int[][] hand = new int[2][8];
    final int[] kingSq = {-1, -1};
    int side;
    long hash;
    int startMoveNumber = 1;

    /** Moves played since construction and the hash before each, for undo. */
    private int[] played = new int[256];
    private long[] hashBefore = new long[256];
    private int plies;

    private final MoveGenerator generator = new MoveGenerator(this);

    Position() {
    }

    /** The standard initial position. */
    public static Position startpos() {
        return Sfen.parse(START_SFEN);
    }

    /** Parses an SFEN string; throws {@link IllegalArgumentException} with a reason if invalid. */
    public static Position fromSfen(String sfen) {
        return Sfen.parse(sfen);
    }

    public String toSfen() {
        return Sfen.format(this);
    }

    /** An independent copy of the current state (the undo history is not copied). */
    public Position copy() {
        Position p = new Position();
        System.arraycopy(board, 0, p.board, 0, 81);
        for (int c = 0; c < 2; c++) {
            System.arraycopy(hand[c], 0, p.hand[c], 0, 8);
        }
        p.kingSq[0] = kingSq[0];
        p.kingSq[1] = kingSq[1];
        p.side = side;
        p.hash = hash;
        p.startMoveNumber = moveNumber();
        return p;
    }

    // ---- queries ----------------------------------------------------------------------------

    public int sideToMove() {
        return side;
    }

    /** Piece code on a square, 0 when empty. */
    public int pieceAt(int sq) {
        return board[sq];
    }

    public int handCount(int color, int type) {
        return hand[color][type];
    }

    /** Square of the king of {@code color}, or -1 if that side has no king (problem positions). */
    public int kingSquare(int color) {
        return kingSq[color];
    }

    /** Zobrist hash of board, hands and side to move; equal positions in the sense of sennichite hash equal. */
    public long hash() {
        return hash;
    }

    /** SFEN move number: the starting SFEN's number plus the moves played since. */
    public int moveNumber() {
        return startMoveNumber + plies;
    }

    /** Number of moves played on this object that {@link #undo()} can take back. */
    public int plyCount() {
        return plies;
    }

    /** The last move played, or {@link Move#NONE}. */
    public int lastMove() {
        return plies == 0 ? Move.NONE : played[plies - 1];
    }

    public boolean isCheck() {
        int k = kingSq[side];
        return k >= 0 && isAttacked(k, side ^ 1);
    }

    /** Fills {@code out} with every legal move of the side to move (cleared first). */
    public void legalMoves(MoveList out) {
        generator.generate(out);
    }

    public boolean hasLegalMove() {
        return generator.hasLegalMove();
    }

    /** The side to move is in check and has no legal move. */
    public boolean isCheckmate() {
        return isCheck() && !hasLegalMove();
    }

    /**
     * Whether {@code by} attacks {@code sq}: looks outward from sq along the 8 lines (first piece
     * only) and at the two knight squares, instead of generating the attacker's moves.
     */
    public boolean isAttacked(int sq, int by) {
        int[][] rays = Geometry.RAYS[sq];
        for (int d = 0; d < 8; d++) {
            int[] ray = rays[d];
            int len = ray.length;
            if (len == 0) {
                continue;
            }
            // The attacker would move in the opposite direction, towards sq.
            int bit = 1 << ((d + 4) & 7);
            int p = board[ray[0]];
            if (p != 0) {
                if ((p >>> 4) == by && ((Geometry.STEP_MASK[p] | Geometry.SLIDE_MASK[p]) & bit) != 0) {
                    return true;
                }
                continue;
            }
            for (int i = 1; i < len; i++) {
                p = board[ray[i]];
                if (p != 0) {
                    if ((p >>> 4) == by && (Geometry.SLIDE_MASK[p] & bit) != 0) {
                        return true;
                    }
                    break;
                }
            }
        }
        int knight = Piece.make(by, Piece.KNIGHT);
        for (int t : Geometry.KNIGHT_ATTACKERS[by][sq]) {
            if (board[t] == knight) {
                return true;
            }
        }
        return false;
    }

    // ---- make / unmake ----------------------------------------------------------------------

    /** Plays a legal move (not validated, see class comment). */
    public void play(int move) {
        if (plies == played.length) {
            played = Arrays.copyOf(played, plies * 2);
            hashBefore = Arrays.copyOf(hashBefore, plies * 2);
        }
        played[plies] = move;
        hashBefore[plies] = hash;
        plies++;

        int us = side;
        int to = Move.to(move);
        int piece = Move.piece(move);
        long h = hash;
        if (Move.isDrop(move)) {
            int type = Piece.type(piece);
            int n = hand[us][type];
            hand[us][type] = n - 1;
            h ^= Zobrist.HAND[us][type][n] ^ Zobrist.HAND[us][type][n - 1];
            board[to] = piece;
            h ^= Zobrist.PIECE_SQUARE[piece][to];
        } else {
            int from = Move.from(move);
            int captured = Move.captured(move);
            board[from] = 0;
            h ^= Zobrist.PIECE_SQUARE[piece][from];
            if (captured != 0) {
                int ct = Piece.unpromote(Piece.type(captured));
                int n = hand[us][ct];
                hand[us][ct] = n + 1;
                h ^= Zobrist.PIECE_SQUARE[captured][to] ^ Zobrist.HAND[us][ct][n] ^ Zobrist.HAND[us][ct][n + 1];
            }
            int placed = Move.isPromotion(move) ? piece + 8 : piece;
            board[to] = placed;
            h ^= Zobrist.PIECE_SQUARE[placed][to];
            if (Piece.type(piece) == Piece.KING) {
                kingSq[us] = to;
            }
        }
        side = us ^ 1;
        hash = h ^ Zobrist.WHITE_TO_MOVE;
    }

    /** Takes back the last move played on this object. */
    public void undo() {
        if (plies == 0) {
            throw new IllegalStateException("no move to undo");
        }
        plies--;
        int move = played[plies];
        hash = hashBefore[plies];
        int us = side ^ 1;
        side = us;
        int to = Move.to(move);
        int piece = Move.piece(move);
        if (Move.isDrop(move)) {
            board[to] = 0;
            hand[us][Piece.type(piece)]++;
        } else {
            int from = Move.from(move);
            int captured = Move.captured(move);
            board[to] = captured;
            board[from] = piece;
            if (captured != 0) {
                hand[us][Piece.unpromote(Piece.type(captured))]--;
            }
            if (Piece.type(piece) == Piece.KING) {
                kingSq[us] = from;
            }
        }
    }

    // ---- setup (used by Sfen) ---------------------------------------------------------------

    /** Recomputes king squares and the hash from scratch after the board was filled in. */
    void finishSetup() {
        kingSq[0] = -1;
        kingSq[1] = -1;
        long h = side == Piece.WHITE ? Zobrist.WHITE_TO_MOVE : 0;
        for (int sq = 0; sq < 81; sq++) {
            int p = board[sq];
            if (p != 0) {
                h ^= Zobrist.PIECE_SQUARE[p][sq];
                if (Piece.type(p) == Piece.KING) {
                    kingSq[Piece.color(p)] = sq;
                }
            }
        }
        for (int c = 0; c < 2; c++) {
            for (int t = Piece.PAWN; t <= Piece.GOLD; t++) {
                h ^= Zobrist.HAND[c][t][hand[c][t]];
            }
        }
        hash = h;
        plies = 0;
    }

    @Override
    public String toString() {
        return toSfen();
    }
}
