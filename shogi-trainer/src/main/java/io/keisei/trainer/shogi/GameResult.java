package io.keisei.trainer.shogi;

/** How a game stands: still going, or who won (or that it was drawn) and why. */
public record GameResult(Outcome outcome, Reason reason) {

    public enum Outcome { ONGOING, BLACK_WIN, WHITE_WIN, DRAW }

    public enum Reason {
        NONE,
        /** The side to move is in check and has no legal move. */
        CHECKMATE,
        /** The side to move has no legal move without being in check; in shogi that also loses. */
        NO_LEGAL_MOVES,
        /** Fourfold repetition: a draw. */
        SENNICHITE,
        /** Fourfold repetition in which every move of one side was a check: that side loses. */
        PERPETUAL_CHECK,
        /** The configured move limit was reached: a draw. */
        MAX_MOVES,
        /**
         * The side to move declared an entering-king win (27-point rule, {@link Impasse}) and wins.
         * Only a game whose players declare ({@link Game#declareImpasse()}) ends this way.
         */
        IMPASSE,
        /** The side to move resigned ({@link Game#resign()}) and loses. */
        RESIGN
    }

    public static final GameResult ONGOING = new GameResult(Outcome.ONGOING, Reason.NONE);

    static GameResult winFor(int color, Reason reason) {
        return new GameResult(color == Piece.BLACK ? Outcome.BLACK_WIN : Outcome.WHITE_WIN, reason);
    }

    static GameResult draw(Reason reason) {
        return new GameResult(Outcome.DRAW, reason);
    }

    public boolean isOver() {
        return outcome != Outcome.ONGOING;
    }

    /** {@link Piece#BLACK} or {@link Piece#WHITE} for a win, -1 for a draw or an ongoing game. */
    public int winner() {
        return switch (outcome) {
            case BLACK_WIN -> Piece.BLACK;
            case WHITE_WIN -> Piece.WHITE;
            default -> -1;
        };
    }
}
