package io.keisei.trainer.shogi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ObservationTest {
    static float at(float[] obs, int plane, String usiSquare) {
        return obs[plane * 81 + Square.parseUsi(usiSquare, 0)];
    }

    static float planeSum(float[] obs, int plane) {
        float s = 0;
        for (int i = 0; i < 81; i++) {
            s += obs[plane * 81 + i];
        }
        return s;
    }

    @Test
    void startPositionFromBlack() {
        float[] obs = new float[Observation.SIZE];
        Observation.core46(Position.startpos(), obs);
        assertThat(Observation.SIZE).isEqualTo(46 * 81);
        for (int col = 0; col < 9; col++) {
            assertThat(obs[0 * 81 + 6 * 9 + col]).isEqualTo(1f); // own pawns on rank g
            assertThat(obs[14 * 81 + 2 * 9 + col]).isEqualTo(1f); // opponent pawns on rank c
        }
        assertThat(planeSum(obs, 0)).isEqualTo(9f);
        assertThat(at(obs, 7, "5i")).isEqualTo(1f);  // own king
        assertThat(at(obs, 21, "5a")).isEqualTo(1f); // opponent king
        assertThat(at(obs, 5, "8h")).isEqualTo(1f);  // own bishop
        assertThat(at(obs, 20, "8b")).isEqualTo(1f); // opponent rook
        assertThat(planeSum(obs, 42)).isEqualTo(81f);
        assertThat(planeSum(obs, 43)).isEqualTo(0f);
        for (int plane = 28; plane < 42; plane++) {
            assertThat(planeSum(obs, plane)).isEqualTo(0f);
        }
    }

    @Test
    void whiteSeesTheBoardRotated() {
        Position p = Position.startpos();
        p.play(Usi.parse(p, "7g7f"));
        float[] obs = new float[Observation.SIZE];
        Observation.core46(p, obs);
        // White's own pawns (rank c) appear on rank g of its view, its king at the bottom centre.
        for (int col = 0; col < 9; col++) {
            assertThat(obs[0 * 81 + 6 * 9 + col]).isEqualTo(1f);
        }
        assertThat(at(obs, 7, "5i")).isEqualTo(1f);
        // Black's pawn on 7f (sq 47) appears at 80 - 47 = 33 (3d in view); 7g is now empty.
        assertThat(obs[14 * 81 + 33]).isEqualTo(1f);
        assertThat(obs[14 * 81 + (80 - Square.parseUsi("7g", 0))]).isEqualTo(0f);
        // White's rook on 8b is seen on 2h, like Black's own rook.
        assertThat(at(obs, 6, "2h")).isEqualTo(1f);
        assertThat(planeSum(obs, 42)).isEqualTo(0f);
        assertThat(at(obs, 43, "5e")).isEqualTo(1f / 512f);
    }

    @Test
    void handsAreNormalisedAndRelativeToTheMover() {
        Position p = Position.fromSfen("4k3+r/9/9/9/9/9/9/9/4K4 w R2Pb3p 1");
        float[] obs = new float[Observation.SIZE];
        Observation.core46(p, obs);
        assertThat(at(obs, 28, "1a")).isEqualTo(3f / 18f);  // own (white) pawns
        assertThat(at(obs, 33, "9i")).isEqualTo(0.5f);      // own bishop: 1 of 2
        assertThat(at(obs, 35, "5e")).isEqualTo(2f / 18f);  // opponent pawns
        assertThat(at(obs, 41, "5e")).isEqualTo(0.5f);      // opponent rook
        // White's own dragon on 1a (sq 8) is on plane 13 at 80 - 8 = 72.
        assertThat(obs[13 * 81 + 72]).isEqualTo(1f);
    }

    @Test
    void writesAtOffsetOnly() {
        float[] batch = new float[Observation.SIZE * 2 + 3];
        java.util.Arrays.fill(batch, 7f);
        Observation.core46(Position.startpos(), batch, Observation.SIZE + 3);
        assertThat(batch[Observation.SIZE + 2]).isEqualTo(7f);
        assertThat(batch[Observation.SIZE + 3]).isEqualTo(0f);
        assertThat(batch[Observation.SIZE + 3 + 42 * 81]).isEqualTo(1f);
    }
}
