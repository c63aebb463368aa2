package io.keisei.trainer.shogi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Shared helpers: legal moves as USI strings, and reproducible random playouts. */
final class TestPositions {
    private TestPositions() {
    }

    static Set<String> usiMoves(Position p) {
        MoveList list = new MoveList();
        p.legalMoves(list);
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(Usi.format(list.get(i)));
        }
        return out;
    }

    static Set<String> usiMoves(String sfen) {
        return usiMoves(Position.fromSfen(sfen));
    }

    /**
     * SFENs of every position reached in {@code games} random games of up to {@code maxPlies}
     * plies from the start (captures are preferred half the time so hands fill and drops appear).
     */
    static List<String> randomPositions(long seed, int games, int maxPlies) {
        Random rnd = new Random(seed);
        List<String> out = new ArrayList<>();
        MoveList list = new MoveList();
        for (int g = 0; g < games; g++) {
            Position p = Position.startpos();
            for (int ply = 0; ply < maxPlies; ply++) {
                out.add(p.toSfen());
                p.legalMoves(list);
                if (list.isEmpty()) {
                    break;
                }
                p.play(pick(list, rnd));
            }
        }
        return out;
    }

    static int pick(MoveList list, Random rnd) {
        if (rnd.nextBoolean()) {
            List<Integer> captures = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                if (Move.isCapture(list.get(i))) {
                    captures.add(list.get(i));
                }
            }
            if (!captures.isEmpty()) {
                return captures.get(rnd.nextInt(captures.size()));
            }
        }
        return list.get(rnd.nextInt(list.size()));
    }
}
