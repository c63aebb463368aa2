package io.keisei.trainer.shogi;

/**
 * A cheap mobility count for evaluation functions: the board moves the pieces of one colour could
 * make if it were that colour's turn, ignoring pins, checks, promotion choices and drops (one per
 * destination square that is empty or holds an opposing piece). Reads the board only.
 */
public final class Mobility {
    private Mobility() {
    }

    public static int of(Position pos, int color) {
        int[] board = pos.board;
        int n = 0;
        for (int from = 0; from < 81; from++) {
            int p = board[from];
            if (p == 0 || (p >>> 4) != color) {
                continue;
            }
            for (int to : Geometry.STEPS[p][from]) {
                int q = board[to];
                if (q == 0 || (q >>> 4) != color) {
                    n++;
                }
            }
            for (int d : Geometry.SLIDE_DIRS[p]) {
                for (int to : Geometry.RAYS[from][d]) {
                    int q = board[to];
                    if (q == 0) {
                        n++;
                        continue;
                    }
                    if ((q >>> 4) != color) {
                        n++;
                    }
                    break;
                }
            }
        }
        return n;
    }
}
