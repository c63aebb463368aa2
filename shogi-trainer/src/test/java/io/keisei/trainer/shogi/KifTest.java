package io.keisei.trainer.shogi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KifTest {

    @Test
    void exportsMovesInJapaneseNotation() {
        Game g = GameTest.playAll(new Game(), "7g7f", "3c3d", "8h2b+", "3a2b", "B*4e");
        String kif = Kif.export(g, "Alice", "Bob");
        assertThat(kif).contains("手合割：平手", "先手：Alice", "後手：Bob", "手数----指手");
        assertThat(kif).contains(
                "   1 ７六歩(77)\n",
                "   2 ３四歩(33)\n",
                "   3 ２二角成(88)\n",
                "   4 同　銀(31)\n",
                "   5 ４五角打\n",
                "まで5手で中断");
    }

    @Test
    void finishedGameHasResultAndCustomStartHasDiagram() {
        Game g = new Game(Position.fromSfen("7nk/9/7GP/9/9/9/9/9/4K4 b - 1"), 500);
        g.playUsi("1c1b");
        String kif = Kif.export(g);
        assertThat(kif).doesNotContain("手合割");
        assertThat(kif).contains("後手の持駒：なし", "先手の持駒：なし", "・v桂v玉|一", "+---------------------------+");
        assertThat(kif).contains("   1 １二歩不成(13)\n", "   2 詰み\n", "まで1手で先手の勝ち");
    }

    @Test
    void repetitionDraw() {
        Game g = new Game();
        for (int i = 0; i < 12; i++) {
            g.playUsi(GameTest.SHUFFLE[i % 4]);
        }
        String kif = Kif.export(g);
        assertThat(kif).contains("  12 ８二飛(72)\n", "  13 千日手\n", "まで12手で千日手");
    }

    @Test
    void handsInDiagram() {
        Game g = new Game(Position.fromSfen("4k4/9/9/9/9/9/9/9/4K4 w R2P3pb 9"), 500);
        String kif = Kif.export(g);
        assertThat(kif).contains("後手の持駒：角　歩三　", "先手の持駒：飛　歩二　", "後手番");
    }
}
