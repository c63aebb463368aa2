package io.keisei.trainer.shogi;

import java.util.Arrays;

/**
 * A reusable, growable list of int-encoded moves. Callers keep one per search ply and refill it,
 * so generating moves allocates nothing in steady state.
 */
public final class MoveList {
    /** Enough for any legal shogi position (the known maximum is 593). */
    private static final int INITIAL_CAPACITY = 600;

    private int[] moves = new int[INITIAL_CAPACITY];
    private int size;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int get(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return moves[i];
    }

    public void clear() {
        size = 0;
    }

    public void add(int move) {
        if (size == moves.length) {
            moves = Arrays.copyOf(moves, size * 2);
        }
        moves[size++] = move;
    }

    public boolean contains(int move) {
        for (int i = 0; i < size; i++) {
            if (moves[i] == move) {
                return true;
            }
        }
        return false;
    }

    /** Copy of the moves, for tests and callers that want to keep them. */
    public int[] toArray() {
        return Arrays.copyOf(moves, size);
    }

    /** Direct access for hot loops; only the first {@link #size()} entries are valid. */
    int[] raw() {
        return moves;
    }
}
