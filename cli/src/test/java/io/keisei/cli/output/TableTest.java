package io.keisei.cli.output;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TableTest {

    @Test
    void alignsColumnsTwoSpacesApartUnderCapitalHeaders() {
        String out = new Table("ID", "NAME", "STATE").row("a1", "first run", "running").row("b22", "x", "paused").render(0);
        assertThat(out).isEqualTo("""
                ID   NAME       STATE
                a1   first run  running
                b22  x          paused
                """);
    }

    @Test
    void withoutAWidthNothingIsCut() {
        String longName = "n".repeat(300);
        assertThat(new Table("NAME").row(longName).render(0)).contains(longName);
    }

    @Test
    void theWidestColumnGivesWayAndCutCellsEndInAnEllipsis() {
        String out = new Table("ID", "NAME", "STATE")
                .row("abc", "a very long session name that goes on and on", "running").render(40);
        out.lines().forEach(l -> assertThat(DisplayWidth.of(l)).isLessThanOrEqualTo(40));
        assertThat(out).contains("…").contains("running").contains("abc");
        assertThat(out.lines().skip(1).findFirst().orElseThrow()).startsWith("abc  a very long");
    }

    @Test
    void fixedColumnsKeepTheirWidth() {
        String id = "3f2b9c1e-7d4a-4c2e-9a51-0c8f7e6d5b4a";
        String out = new Table("ID", "NAME").fixed(0).row(id, "a name long enough to cut down to size").render(50);
        assertThat(out).contains(id);
        out.lines().forEach(l -> assertThat(DisplayWidth.of(l)).isLessThanOrEqualTo(50));
    }

    @Test
    void optionalColumnsGoFirstWhenEvenTheFloorsDoNotFit() {
        Table t = new Table("ID", "NAME", "STATE", "OWNER", "UPDATED").fixed(0, 2).optional(4, 3)
                .row("0123456789abcdef", "a long session name", "running", "alice", "2026-12-07 04:05:06");
        assertThat(t.render(0).lines().findFirst().orElseThrow()).contains("UPDATED");
        String forty = t.render(40);
        assertThat(forty.split("\n")).containsExactly("ID                NAME    STATE    OWNER",
                "0123456789abcdef  a lon…  running  alice");
        String narrow = t.render(35);
        assertThat(narrow.split("\n")).containsExactly("ID                NAME      STATE",
                "0123456789abcdef  a long …  running");
    }

    @Test
    void columnsStopAtTheirFloorRatherThanVanish() {
        String out = new Table("NAME", "STATE").row("abcdefghijkl", "running").render(5);
        assertThat(out).contains("abcde…").contains("runni…");
    }

    @Test
    void wideCharactersCountTwoColumns() {
        assertThat(DisplayWidth.of("将棋")).isEqualTo(4);
        String out = new Table("NAME", "STATE").row("将棋の学習", "running").row("ab", "paused").render(0);
        // "将棋の学習" is 10 columns wide: the STATE column starts at column 12 on every line.
        assertThat(out.split("\n")).containsExactly("NAME        STATE", "将棋の学習  running", "ab          paused");
        assertThat(DisplayWidth.truncate("将棋の学習", 6)).isEqualTo("将棋…");
    }

    @Test
    void aNewlineInACellDoesNotBreakTheRow() {
        assertThat(new Table("NAME").row("two\nlines").render(0)).isEqualTo("NAME\ntwo lines\n");
    }
}
