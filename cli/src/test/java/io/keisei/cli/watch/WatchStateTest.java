package io.keisei.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.cli.output.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class WatchStateTest {

    private static JsonNode json(String s) throws Exception {
        return Json.parse(s);
    }

    @Test
    void statusThenDifferentialUpdatesThenTheEnd() throws Exception {
        WatchState s = new WatchState("s1");
        s.applyStatus(json("{\"id\":\"s1\",\"name\":\"run\",\"state\":\"running\",\"attempt\":1,\"step\":1000,\"totalTimesteps\":10000,"
                + "\"stepsPerSecond\":100.0,\"metrics\":{\"steps_per_second\":180.0,\"episode_reward_mean\":0.5}}"));
        assertThat(s.progress()).isEqualTo(0.1);
        assertThat(s.etaSeconds()).as("the server's smoothed speed, not the trainer's momentary metric").isEqualTo(90);
        assertThat(s.apply(json("{\"type\":\"training_update\",\"data\":{\"full\":false,\"step\":2000,"
                + "\"metrics\":{\"eval/win_rate_vs_random\":0.75}}}"))).isTrue();
        assertThat(s.step()).isEqualTo(2000);
        assertThat(s.reward()).as("kept from before: updates carry only what changed").isEqualTo(0.5);
        assertThat(s.winRate()).isEqualTo(0.75);
        assertThat(s.etaSeconds()).as("no new speed in the update: the last one holds").isEqualTo(80);
        s.apply(json("{\"type\":\"training_update\",\"data\":{\"step\":2000,\"stepsPerSecond\":80.0,\"metrics\":{}}}"));
        assertThat(s.etaSeconds()).isEqualTo(100);
        assertThat(s.apply(json("{\"type\":\"game_state\",\"data\":{\"ply\":3}}"))).isFalse();

        s.apply(json("{\"type\":\"session_event\",\"data\":{\"v\":1,\"type\":\"session.paused\",\"session\":\"s1\",\"state\":\"paused\"}}"));
        assertThat(s.state()).isEqualTo("paused");
        assertThat(s.ended()).as("a paused session may resume").isFalse();
        assertThat(s.etaSeconds()).isNull();
        assertThat(s.stepsPerSecond()).as("a paused session has no speed").isNull();
        s.apply(json("{\"type\":\"session_event\",\"data\":{\"v\":1,\"type\":\"checkpoint.saved\",\"session\":\"s1\"}}"));
        assertThat(s.state()).isEqualTo("paused");
        s.apply(json("{\"type\":\"session_event\",\"data\":{\"v\":1,\"type\":\"session.stopped\",\"session\":\"s1\"}}"));
        assertThat(s.state()).isEqualTo("stopped");
        assertThat(s.ended()).isTrue();
        s.applyStatus(json("{\"state\":\"stopping\",\"step\":2300}"));
        assertThat(s.state()).as("a status that lags behind the final event").isEqualTo("stopped");
        assertThat(s.step()).isEqualTo(2300);
    }

    @Test
    void unknownEventsAreIgnoredAndAFinalStatusEndsAtOnce() throws Exception {
        WatchState s = new WatchState("s1");
        assertThat(s.apply(json("{\"type\":\"session_event\",\"data\":{\"type\":\"session.teleported\"}}"))).isFalse();
        s.applyStatus(json("{\"state\":\"completed\",\"step\":5}"));
        assertThat(s.ended()).isTrue();
    }

    @Test
    void onATerminalTheBlockIsRedrawnInPlaceElsewherePlainLines() throws Exception {
        WatchState s = new WatchState("s1");
        s.applyStatus(json("{\"name\":\"run\",\"state\":\"running\",\"step\":500,\"totalTimesteps\":1000,\"stepsPerSecond\":50}"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Screen tty = new Screen(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 80, 0);
        tty.draw(s, 0);
        s.apply(json("{\"type\":\"training_update\",\"data\":{\"step\":600}}"));
        tty.draw(s, 1);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\u001b[2KSession s1 \"run\"  running");
        assertThat(out).contains("\u001b[3F").contains("-]  50.0%  step 500 / 1,000")
                .contains("60.0%  step 600 / 1,000").contains("ETA 8s");
        out.lines().forEach(l -> assertThat(l.replaceAll("\u001b\\[[0-9]*[A-Za-z]", "").length()).isLessThan(80));

        bytes.reset();
        Screen plain = new Screen(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 0, 2000);
        plain.draw(s, 0);
        plain.draw(s, 500);   // throttled: same state, too soon
        s.apply(json("{\"type\":\"session_event\",\"data\":{\"type\":\"session.stopped\",\"state\":\"stopped\"}}"));
        plain.draw(s, 600);   // a state change is printed at once
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\u001b")
                .isEqualTo("state running  step 600/1000 (60.0%)  steps/s 50  ETA 8s  reward –  win rate –\n"
                        + "state stopped  step 600/1000 (60.0%)  steps/s –  ETA –  reward –  win rate –\n");
    }
}
