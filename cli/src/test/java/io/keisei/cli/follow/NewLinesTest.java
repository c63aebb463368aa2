package io.keisei.cli.follow;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NewLinesTest {

    @Test
    void onlyLinesAfterWhatWasPrintedAreNew() {
        List<String> before = List.of("a", "b", "c");
        assertThat(NewLines.start(List.of(), List.of("a"))).isZero();
        assertThat(NewLines.start(before, before)).isEqualTo(3);                              // nothing new
        assertThat(NewLines.start(before, List.of("a", "b", "c", "d"))).isEqualTo(3);        // grown
        assertThat(NewLines.start(before, List.of("b", "c", "d", "e"))).isEqualTo(2);        // slid: window full
        assertThat(NewLines.start(before, List.of("x", "y", "a", "b", "c", "d"))).isEqualTo(5); // a wider window
        assertThat(NewLines.start(before, List.of("p", "q"))).isZero();                       // more than a window came
    }

    @Test
    void repeatedLinesAreMatchedByTheWholeOverlap() {
        List<String> before = List.of("epoch", "epoch", "done");
        assertThat(NewLines.start(before, List.of("epoch", "done", "epoch", "epoch"))).isEqualTo(2);
    }

    @Test
    void activeAndFinalStates() {
        assertThat(SessionStates.isActive("running")).isTrue();
        assertThat(SessionStates.isActive("queued")).isTrue();
        assertThat(SessionStates.isActive("paused")).isFalse();
        assertThat(SessionStates.isActive("created")).isFalse();
        assertThat(SessionStates.isFinal("stopped")).isTrue();
        assertThat(SessionStates.isFinal("paused")).isFalse();
    }
}
