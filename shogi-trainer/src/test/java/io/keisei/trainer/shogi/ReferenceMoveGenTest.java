package io.keisei.trainer.shogi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks the pin/evasion generator against a deliberately naive one written from the rules:
 * every piece to every square it could reach, every drop, then "play it and see whether the own
 * king is attacked". Uchifuzume is tested the slow way too (recursively, with the naive generator).
 */
class ReferenceMoveGenTest {

    @Test
    void generatorMatchesNaiveReferenceOnRandomPositions() {
        int checked = 0;
        for (String sfen : TestPositions.randomPositions(42, 60, 160)) {
            Position p = Position.fromSfen(sfen);
            Set<String> expected = naive(p);
            assertThat(TestPositions.usiMoves(p)).as(sfen).containsExactlyInAnyOrderElementsOf(expected);
            checked++;
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void generatorMatchesNaiveReferenceOnTrickyPositions() {
        String[] sfens = {
            RulesTest.PAWN_DROP_MATE,
            "4k4/9/9/9/9/9/1g7/9/KN7 w p 1",
            "4k4/9/9/9/4r4/9/5n3/9/4K4 b G 1",
            "4k4/P8/8L/3N5/7N1/9/9/9/4K4 b - 1",
            PerftTest.MATSURI,
            PerftTest.MAX_MOVES,
        };
        for (String sfen : sfens) {
            Position p = Position.fromSfen(sfen);
            assertThat(TestPositions.usiMoves(p)).as(sfen).containsExactlyInAnyOrderElementsOf(naive(p));
        }
    }

    /** Legal moves by brute force, as USI strings. */
    static Set<String> naive(Position p) {
        Set<String> out = new TreeSet<>();
        int us = p.sideToMove();
        for (int from = 0; from < 81; from++) {
            int piece = p.pieceAt(from);
            if (piece == 0 || Piece.color(piece) != us) {
                continue;
            }
            for (int to = 0; to < 81; to++) {
                int target = p.pieceAt(to);
                if (to == from || (target != 0 && Piece.color(target) == us) || !reaches(p, piece, from, to)) {
                    continue;
                }
                for (int promote = 0; promote < 2; promote++) {
                    if (!promotionAllowed(piece, from, to, promote == 1)) {
                        continue;
                    }
                    int m = Move.board(from, to, promote == 1, piece, target);
                    if (keepsKingSafe(p, m)) {
                        out.add(Usi.format(m));
                    }
                }
            }
        }
        for (int type = Piece.PAWN; type <= Piece.GOLD; type++) {
            if (p.handCount(us, type) == 0) {
                continue;
            }
            for (int to = 0; to < 81; to++) {
                if (p.pieceAt(to) != 0 || !dropAllowed(p, us, type, to)) {
                    continue;
                }
                int m = Move.drop(to, Piece.make(us, type));
                if (!keepsKingSafe(p, m)) {
                    continue;
                }
                if (type == Piece.PAWN) {
                    p.play(m);
                    boolean mate = p.isCheck() && naive(p).isEmpty();
                    p.undo();
                    if (mate) {
                        continue;
                    }
                }
                out.add(Usi.format(m));
            }
        }
        return out;
    }

    /** Movement rules written out by piece, in (row, col) deltas from Black's point of view. */
    private static boolean reaches(Position p, int piece, int from, int to) {
        int sign = Piece.color(piece) == Piece.BLACK ? 1 : -1;
        int dr = (Square.row(to) - Square.row(from)) * sign; // negative = forward
        int dc = Square.col(to) - Square.col(from);
        int adr = Math.abs(dr);
        int adc = Math.abs(dc);
        boolean adjacent = adr <= 1 && adc <= 1;
        boolean gold = adjacent && !(dr == 1 && adc == 1);
        switch (Piece.type(piece)) {
            case Piece.PAWN:
                return dr == -1 && dc == 0;
            case Piece.LANCE:
                return dc == 0 && dr < 0 && clear(p, from, to);
            case Piece.KNIGHT:
                return dr == -2 && adc == 1;
            case Piece.SILVER:
                return adjacent && !(dr == 0) && !(dr == 1 && dc == 0);
            case Piece.GOLD:
            case Piece.PRO_PAWN:
            case Piece.PRO_LANCE:
            case Piece.PRO_KNIGHT:
            case Piece.PRO_SILVER:
                return gold;
            case Piece.KING:
                return adjacent;
            case Piece.BISHOP:
                return adr == adc && clear(p, from, to);
            case Piece.ROOK:
                return (adr == 0 || adc == 0) && clear(p, from, to);
            case Piece.HORSE:
                return adjacent || (adr == adc && clear(p, from, to));
            case Piece.DRAGON:
                return adjacent || ((adr == 0 || adc == 0) && clear(p, from, to));
            default:
                throw new IllegalStateException();
        }
    }

    private static boolean clear(Position p, int from, int to) {
        int sr = Integer.signum(Square.row(to) - Square.row(from));
        int sc = Integer.signum(Square.col(to) - Square.col(from));
        int r = Square.row(from) + sr;
        int c = Square.col(from) + sc;
        while (Square.of(r, c) != to) {
            if (p.pieceAt(Square.of(r, c)) != 0) {
                return false;
            }
            r += sr;
            c += sc;
        }
        return true;
    }

    private static boolean promotionAllowed(int piece, int from, int to, boolean promote) {
        int color = Piece.color(piece);
        int type = Piece.type(piece);
        boolean zone = Square.inPromotionZone(color, from) || Square.inPromotionZone(color, to);
        if (promote) {
            return Piece.canPromote(type) && zone;
        }
        int edge = Square.ranksToEdge(color, to);
        return !((type == Piece.PAWN || type == Piece.LANCE) && edge == 0) && !(type == Piece.KNIGHT && edge <= 1);
    }

    private static boolean dropAllowed(Position p, int us, int type, int to) {
        int edge = Square.ranksToEdge(us, to);
        if ((type == Piece.PAWN || type == Piece.LANCE) && edge == 0) {
            return false;
        }
        if (type == Piece.KNIGHT && edge <= 1) {
            return false;
        }
        if (type == Piece.PAWN) {
            for (int row = 0; row < 9; row++) {
                if (p.pieceAt(Square.of(row, Square.col(to))) == Piece.make(us, Piece.PAWN)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean keepsKingSafe(Position p, int m) {
        int us = p.sideToMove();
        p.play(m);
        int k = p.kingSquare(us);
        boolean safe = k < 0 || !p.isAttacked(k, us ^ 1);
        p.undo();
        return safe;
    }
}
