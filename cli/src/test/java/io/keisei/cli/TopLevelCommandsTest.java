package io.keisei.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopLevelCommandsTest {

    @Test
    void theFirstWordThatIsNeitherAnOptionNorItsValue() {
        assertThat(TopLevelCommands.firstCommand(new String[]{"sessions", "list"})).isEqualTo("sessions");
        assertThat(TopLevelCommands.firstCommand(new String[]{"-o", "json", "--url", "http://x", "--debug", "models"})).isEqualTo("models");
        assertThat(TopLevelCommands.firstCommand(new String[]{"--output=json", "whoami"})).isEqualTo("whoami");
        assertThat(TopLevelCommands.firstCommand(new String[]{"--help"})).isNull();
        assertThat(TopLevelCommands.firstCommand(new String[]{"--token", "sessions"})).isNull();
    }
}
