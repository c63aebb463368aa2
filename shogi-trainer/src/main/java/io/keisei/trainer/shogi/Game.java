package io.keisei.trainer.shogi;

import java.util.Arrays;

/**
 * A game: a {@link Position} plus what the rules need beyond the position itself — the history
 * for sennichite, the move limit, and the result.
 *
 * <p>Termination, checked after every move in this order:
 * <ol>
 *   <li>the side to move has no legal move: it loses ({@code CHECKMATE} when in check,
 *       {@code NO_LEGAL_MOVES} otherwise);</li>
 *   <li>the current position (board, hands, side to move) occurs for the 4th time: a draw
 *       ({@code SENNICHITE}), unless every move of one side since the first occurrence gave check,
 *       in which case that side loses ({@code PERPETUAL_CHECK});</li>
 *   <li>{@code maxMoves} moves have been played in this game: a draw ({@code MAX_MOVES}).</li>
 * </ol>
 * Two endings happen only on request, between moves: {@link #declareImpasse()} (the side to move
 * wins by the 27-point entering-king rule, {@code IMPASSE}) and {@link #resign()} ({@code RESIGN}).
 * Self-play never requests them; the match runner does.
 * The legal moves of the current position are computed once per move and cached, so a learner
 * can read {@link #legalMoves()} for its mask without generating them again.
 */
public final class Game {
    public static final int DEFAULT_MAX_MOVES = 500;

    private final Position position;
    private final String startSfen;
    private final int maxMoves;
    private final MoveList legal = new MoveList();
    /** hashes[i] / inCheck[i]: the position after i moves, and whether its side to move is in check. */
    private long[] hashes = new long[128];
    private boolean[] inCheck = new boolean[128];
    private int[] moves = new int[128];
    private int count;
    private GameResult result;

    /** A game from the standard start with the default move limit. */
    public Game() {
        this(Position.startpos(), DEFAULT_MAX_MOVES);
    }

    /** A game from a copy of {@code start}; {@code maxMoves} counts moves played in this game. */
    public Game(Position start, int maxMoves) {
        if (maxMoves < 1) {
            throw new IllegalArgumentException("maxMoves must be >= 1");
        }
        this.position = start.copy();
        this.startSfen = position.toSfen();
        this.maxMoves = maxMoves;
        hashes[0] = position.hash();
        inCheck[0] = position.isCheck();
        refresh();
    }

    /** The live position. Read it freely, but change it only through this game. */
    public Position position() {
        return position;
    }

    /** Legal moves of the current position (empty once the game is over). Do not modify. */
    public MoveList legalMoves() {
        return legal;
    }

    public GameResult result() {
        return result;
    }

    public boolean isOver() {
        return result.isOver();
    }

    /** Moves played in this game so far. */
    public int moveCount() {
        return count;
    }

    /** The moves played, in order. */
    public int[] moves() {
        return Arrays.copyOf(moves, count);
    }

    public String startSfen() {
        return startSfen;
    }

    public int maxMoves() {
        return maxMoves;
    }

    /** Plays a legal move and returns the resulting game state; throws if illegal or the game is over. */
    public GameResult play(int move) {
        if (result.isOver()) {
            throw new IllegalStateException("game is over: " + result);
        }
        if (!legal.contains(move)) {
            throw new IllegalArgumentException("illegal move " + Usi.format(move) + " in " + position.toSfen());
        }
        position.play(move);
        if (count + 1 == hashes.length) {
            hashes = Arrays.copyOf(hashes, hashes.length * 2);
            inCheck = Arrays.copyOf(inCheck, inCheck.length * 2);
            moves = Arrays.copyOf(moves, moves.length * 2);
        }
        moves[count] = move;
        count++;
        hashes[count] = position.hash();
        inCheck[count] = position.isCheck();
        refresh();
        return result;
    }

    /**
     * The state the game would be in after the legal move {@code move}, which is played and taken
     * back (the game is left as it was); throws like {@link #play(int)}.
     */
    public GameResult resultAfter(int move) {
        GameResult r = play(move);
        undo();
        return r;
    }

    /** Zobrist hash of the position after {@code ply} moves of this game, 0 being the start; ply at most {@link #moveCount()}. */
    public long hashAt(int ply) {
        if (ply < 0 || ply > count) {
            throw new IndexOutOfBoundsException("ply " + ply + " of a game of " + count + " moves");
        }
        return hashes[ply];
    }

    /** Plays a move given in USI notation; throws like {@link #play(int)}. */
    public GameResult playUsi(String usi) {
        if (result.isOver()) {
            throw new IllegalStateException("game is over: " + result);
        }
        int action = Usi.parseAction(usi);
        for (int i = 0; i < legal.size(); i++) {
            if (Move.action(legal.get(i)) == action) {
                return play(legal.get(i));
            }
        }
        throw new IllegalArgumentException("illegal move '" + usi + "' in " + position.toSfen());
    }

    /**
     * The side to move declares an entering-king win: if {@link Impasse#canDeclare} holds, the game
     * ends as a win for it ({@code IMPASSE}); otherwise nothing changes. Returns the game state.
     */
    public GameResult declareImpasse() {
        if (result.isOver()) {
            throw new IllegalStateException("game is over: " + result);
        }
        if (Impasse.canDeclare(position)) {
            end(GameResult.winFor(position.sideToMove(), GameResult.Reason.IMPASSE));
        }
        return result;
    }

    /** The side to move resigns: the game ends as a win for the other side ({@code RESIGN}). */
    public GameResult resign() {
        if (result.isOver()) {
            throw new IllegalStateException("game is over: " + result);
        }
        end(GameResult.winFor(position.sideToMove() ^ 1, GameResult.Reason.RESIGN));
        return result;
    }

    private void end(GameResult r) {
        result = r;
        legal.clear();
    }

    /** Takes back the last move (also reopens a finished game). */
    public void undo() {
        if (count == 0) {
            throw new IllegalStateException("no move to undo");
        }
        position.undo();
        count--;
        refresh();
    }

    private void refresh() {
        position.legalMoves(legal);
        result = decide();
        if (result.isOver()) {
            legal.clear();
        }
    }

    private GameResult decide() {
        int mover = position.sideToMove();
        if (legal.isEmpty()) {
            return GameResult.winFor(mover ^ 1,
                    inCheck[count] ? GameResult.Reason.CHECKMATE : GameResult.Reason.NO_LEGAL_MOVES);
        }
        GameResult repetition = repetition();
        if (repetition != null) {
            return repetition;
        }
        if (count >= maxMoves) {
            return GameResult.draw(GameResult.Reason.MAX_MOVES);
        }
        return GameResult.ONGOING;
    }

    /** Sennichite / perpetual check on the current position, or null if it is not the 4th occurrence. */
    private GameResult repetition() {
        long h = hashes[count];
        int seen = 1;
        int first = count;
        // Same side to move means an even distance back.
        for (int i = count - 2; i >= 0; i -= 2) {
            if (hashes[i] == h) {
                seen++;
                first = i;
            }
        }
        if (seen < 4) {
            return null;
        }
        // Move i (1-based) leads to position i; it gave check iff position i is in check.
        // Its mover is the side to move at position i - 1.
        int sideAtStart = (position.sideToMove() + count) & 1;
        boolean[] allChecks = {true, true};
        for (int i = first + 1; i <= count; i++) {
            int moverOfI = (sideAtStart + i - 1) & 1;
            if (!inCheck[i]) {
                allChecks[moverOfI] = false;
            }
        }
        if (allChecks[Piece.BLACK] != allChecks[Piece.WHITE]) {
            int offender = allChecks[Piece.BLACK] ? Piece.BLACK : Piece.WHITE;
            return GameResult.winFor(offender ^ 1, GameResult.Reason.PERPETUAL_CHECK);
        }
        return GameResult.draw(GameResult.Reason.SENNICHITE);
    }
}
