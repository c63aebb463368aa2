package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The state of a game in progress on {@link Streams#GAMES}. The SFEN carries board, side to move,
 * hands and move number; {@code moves} is the USI move list so far so a late viewer can replay it.
 *
 * @param lastMove   USI of the move that led here; null at the start position
 * @param sideToMove "black" or "white"
 * @param result     null while the game runs; otherwise e.g. "black_win:checkmate", "draw:max_moves"
 */
public record GameState(@JsonProperty(required = true) int v, String session, String gameId, @JsonProperty(required = true) int ply, String sfen, String lastMove,
                        String sideToMove, List<String> moves, String result, @JsonProperty(required = true) long time) implements StreamMessage {

    public static final int VERSION = 1;

    public GameState {
        Checks.version(VERSION, v);
        Checks.required("session", session);
        Checks.required("gameId", gameId);
        Checks.required("sfen", sfen);
        if (ply < 0) {
            throw new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE, "field 'ply' must be >= 0, was " + ply);
        }
        if (!"black".equals(sideToMove) && !"white".equals(sideToMove)) {
            throw new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE,
                    "field 'sideToMove' must be 'black' or 'white', was " + sideToMove);
        }
        moves = moves == null ? List.of() : List.copyOf(moves);
        Checks.nonNegative("time", time);
    }
}
