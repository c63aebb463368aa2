package io.keisei.cli.trainingconfig;

import io.keisei.cli.CliException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void jsonAndYamlBecomeATreeTomlStaysText() throws Exception {
        Files.writeString(dir.resolve("c.json"), "{\"training\": {\"learning_rate\": 0.001}}");
        Files.writeString(dir.resolve("c.yaml"), "training:\n  learning_rate: 0.001\n");
        Files.writeString(dir.resolve("c.toml"), "[training]\nlearning_rate = 0.001\n");
        assertThat(ConfigFile.read(dir.resolve("c.json").toString(), null).json().path("training").path("learning_rate").asDouble()).isEqualTo(0.001);
        assertThat(ConfigFile.read(dir.resolve("c.yaml").toString(), null).json().path("training").path("learning_rate").asDouble()).isEqualTo(0.001);
        ConfigFile toml = ConfigFile.read(dir.resolve("c.toml").toString(), null);
        assertThat(toml.isToml()).isTrue();
        assertThat(toml.toml()).isEqualTo("[training]\nlearning_rate = 0.001\n");
        ConfigFile stdin = ConfigFile.read("-", new ByteArrayInputStream("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThat(stdin.json().path("a").asInt()).isEqualTo(1);
    }

    @Test
    void badFilesAreUsageErrorsWithTheLine() throws Exception {
        Files.writeString(dir.resolve("bad.json"), "{\n\"training\": {,}\n}");
        Files.writeString(dir.resolve("list.json"), "[1]");
        assertThatThrownBy(() -> ConfigFile.read(dir.resolve("bad.json").toString(), null))
                .isInstanceOf(CliException.class).hasMessageContaining("is not valid JSON").hasMessageContaining("line 2")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(2));
        assertThatThrownBy(() -> ConfigFile.read(dir.resolve("list.json").toString(), null)).hasMessageContaining("one config object");
        assertThatThrownBy(() -> ConfigFile.read(dir.resolve("none.json").toString(), null)).hasMessageContaining("no such file");
    }
}
