package io.keisei.trainer.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.keisei.trainer.shogi.ActionSpace;
import io.keisei.trainer.shogi.Move;
import io.keisei.trainer.shogi.MoveList;
import io.keisei.trainer.shogi.Observation;
import io.keisei.trainer.shogi.Position;
import io.keisei.trainer.shogi.Usi;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class FeaturesTest {
    static float[] dense(Position pos) {
        int[] idx = new int[Features.MAX_ACTIVE];
        float[] val = new float[Features.MAX_ACTIVE];
        int n = Features.encode(pos, idx, val, 0);
        float[] d = new float[Features.COUNT];
        for (int i = 0; i < n; i++) {
            assertThat(d[idx[i]]).as("feature %d written twice", idx[i]).isZero();
            d[idx[i]] = val[i];
        }
        return d;
    }

    @Test
    void matchesCore46PiecePlanesAndScalars() {
        String[] sfens = {
            Position.START_SFEN,
            "1n3s1n1/1g1S1gp1l/lp1pb3G/p1pk2Ppp/SN5P1/1P2p3P/P4P2R/1SG1P3L/L1K1+b2NR w P2p 112",
            "+P3s1+R1l/7b1/1pg1p1gp1/nPppk3P/L2P1P1n1/2P2LpPp/p2KP4/S3GSS1R/B1+n3GN1 w L2P 112",
        };
        // core46 plane of each of our piece planes (ours: type - 1 = P L N S B R G K +P +L +N +S +B +R)
        int[] core = {0, 1, 2, 3, 5, 6, 4, 7, 8, 9, 10, 11, 12, 13};
        // core46 hand plane of each of our hand slots (ours: P L N S B R G)
        int[] hand = {0, 1, 2, 3, 5, 6, 4};
        for (String sfen : sfens) {
            Position pos = Position.fromSfen(sfen);
            float[] obs = new float[Observation.SIZE];
            Observation.core46(pos, obs);
            float[] d = dense(pos);
            for (int side = 0; side < 2; side++) {
                for (int t = 0; t < 14; t++) {
                    for (int v = 0; v < 81; v++) {
                        assertThat(d[(side * 14 + t) * 81 + v])
                                .isEqualTo(obs[(side * 14 + core[t]) * 81 + v]);
                    }
                }
                for (int k = 0; k < 7; k++) {
                    assertThat(d[Features.HAND_BASE + side * 7 + k]).isEqualTo(obs[(28 + side * 7 + hand[k]) * 81]);
                }
            }
            assertThat(d[Features.SIDE_FEATURE]).isEqualTo(obs[42 * 81]);
            assertThat(d[Features.MOVE_COUNT_FEATURE]).isEqualTo(obs[43 * 81]);
        }
    }

    @Test
    void startPositionLooksTheSameToBothSides() {
        Position black = Position.startpos();
        Position white = Position.fromSfen(Position.START_SFEN.replace(" b ", " w "));
        float[] a = dense(black);
        float[] b = dense(white);
        assertThat(Arrays.copyOf(a, Features.PIECE_FEATURES)).containsExactly(Arrays.copyOf(b, Features.PIECE_FEATURES));
        assertThat(a[Features.SIDE_FEATURE]).isEqualTo(1f);
        assertThat(b[Features.SIDE_FEATURE]).isEqualTo(0f);
    }

    @Test
    void moveCodesCarryActionIndexAndKinds() {
        Position pos = Position.fromSfen("1n3s1n1/1g1S1gp1l/lp1pb3G/p1pk2Ppp/SN5P1/1P2p3P/P4P2R/1SG1P3L/L1K1+b2NR w P2p 112");
        MoveList legal = new MoveList();
        pos.legalMoves(legal);
        boolean sawDrop = false;
        for (int i = 0; i < legal.size(); i++) {
            int m = legal.get(i);
            int c = Features.moveCode(m, pos.sideToMove());
            assertThat(Features.action(c)).isEqualTo(ActionSpace.indexOf(m, pos.sideToMove()));
            assertThat(Features.promo(c)).isEqualTo(Move.isPromotion(m) ? 1 : 0);
            if (Move.isDrop(m)) {
                sawDrop = true;
                assertThat(Features.moved(c)).isEqualTo(14); // pawn drop
            } else {
                assertThat(Features.moved(c)).isBetween(0, 13);
            }
            assertThat(Features.captured(c)).isBetween(0, 14);
        }
        assertThat(sawDrop).isTrue();
        int capture = Usi.parse(Position.fromSfen("4k4/9/9/9/4r4/9/9/4R4/4K4 b - 1"), "5h5e");
        int c = Features.moveCode(capture, 0);
        assertThat(Features.captured(c)).isEqualTo(6); // rook
        assertThat(Features.moved(c)).isEqualTo(5); // rook (type 6) - 1
    }
}
