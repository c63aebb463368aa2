package io.keisei.trainer.learn;

import java.util.List;

/**
 * Receives the plies of one designated self-play game at a time, so a UI can show a live game.
 * When a designated game ends, the next game the learner starts becomes the designated one.
 *
 * <p>Calls happen on the learner's thread, synchronously: keep them short. An exception thrown by
 * the listener is swallowed (it must never stop training).
 */
public interface GameListener {
    /**
     * One ply of the designated game.
     *
     * @param gameId       identifies the game, {@code "selfplay-N"} with N the learner's game counter
     * @param ply          0 for the start position (before any move), then 1, 2, ... after each move
     * @param sfen         the position after this ply
     * @param lastMoveUsi  the move just played in USI, or null at ply 0
     * @param movesUsi     all moves of the game so far (an immutable snapshot)
     * @param resultOrNull null while the game goes on; on its last ply {@code OUTCOME:REASON}, e.g.
     *                     {@code BLACK_WIN:CHECKMATE}, {@code DRAW:MAX_MOVES}, {@code WHITE_WIN:PERPETUAL_CHECK}
     */
    void onMove(String gameId, int ply, String sfen, String lastMoveUsi, List<String> movesUsi, String resultOrNull);
}
