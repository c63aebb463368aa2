package io.keisei.training.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.keisei.contracts.config.ConfigDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The file each trainer reads: keisei-train's TOML with the session's own paths, Keisei 2025's JSON, ours. */
class TrainerConfigFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Numbers equal by value: parsers pick int, long, double or decimal nodes for the same text. */
    private static final Comparator<JsonNode> SAME_NUMBER = (a, b) -> a.isNumber() && b.isNumber()
            ? Double.compare(a.asDouble(), b.asDouble()) : a.equals(b) ? 0 : 1;
    private static final TrainerProgram KEISEI_TRAIN = new TrainerProgram("keisei-2026", List.of("python3", "w.py", "{config}"),
            ConfigDialect.KEISEI_2026);

    private static ObjectNode keiseiTrainConfig() throws IOException {
        return ConfigDialect.KEISEI_2026.validate(JSON.readTree("""
                {"model": {"display_name": "Musashi \\"the lone\\" duelist"},
                 "training": {"num_games": 64, "algorithm_params": {"batch_size": 512}},
                 "league": {"frontier": {"slots": 4}, "elo": {"initial": 1500.0}},
                 "resources": {"gpus": 2}}
                """));
    }

    @Test
    void keiseiTrainGetsTomlWithTheSessionsOwnDirectoriesAndNoTablesOfOurs(@TempDir Path dir) throws IOException {
        Path checkpoints = dir.resolve("sessions/S-1/checkpoints");
        TrainerConfigFile file = TrainerConfigFiles.render(KEISEI_TRAIN, keiseiTrainConfig(), checkpoints);

        assertThat(file.fileName()).isEqualTo("config.toml");
        JsonNode toml = new TomlMapper().readTree(file.content());
        assertThat(toml.at("/training/checkpoint_dir").asText()).isEqualTo(checkpoints.toAbsolutePath().toString());
        assertThat(toml.at("/display/db_path").asText()).isEqualTo(dir.resolve("sessions/S-1/keisei.db").toAbsolutePath().toString());
        assertThat(toml.has("resources")).isFalse();
        assertThat(toml.at("/training/num_games").asInt()).isEqualTo(64);
        assertThat(toml.at("/training/algorithm_params/batch_size").asInt()).isEqualTo(512);
        assertThat(toml.at("/model/params/num_blocks").asInt()).isEqualTo(40);
        assertThat(toml.at("/league/frontier/slots").asInt()).isEqualTo(4);
        assertThat(toml.at("/model/display_name").asText()).isEqualTo("Musashi \"the lone\" duelist");
        // compile_mode defaults to null (not compiled), which TOML cannot spell: the key is left out, Keisei's default
        assertThat(toml.at("/training/algorithm_params").has("compile_mode")).isFalse();
    }

    /** Keisei reads the file with Python's tomllib: the same document must come out of it as out of Jackson. */
    @Test
    void pythonsTomllibReadsTheSameDocument(@TempDir Path dir) throws Exception {
        TrainerConfigFile file = TrainerConfigFiles.render(KEISEI_TRAIN, keiseiTrainConfig(), dir.resolve("checkpoints"));
        Path toml = dir.resolve(file.fileName());
        Files.writeString(toml, file.content());
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c",
                    "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))", toml.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "python3 not found");
            return;
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(!out.contains("No module named 'tomllib'"), "python3 older than 3.11 has no tomllib");
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(JSON.readTree(out).equals(SAME_NUMBER, new TomlMapper().readTree(file.content())))
                .as("tomllib: %s%nJackson: %s", out, new TomlMapper().readTree(file.content())).isTrue();
    }

    @Test
    void theBuiltInTrainerReadsOurEffectiveJson(@TempDir Path dir) throws IOException {
        ObjectNode config = ConfigDialect.KEISEI_2025.validate(JSON.readTree("{\"training\":{\"tower_width\":32}}"));
        TrainerConfigFile file = TrainerConfigFiles.render(TrainerProgram.builtin(), config, dir);
        assertThat(file.fileName()).isEqualTo("config.json");
        assertThat(JSON.readTree(file.content()).equals(SAME_NUMBER, config)).isTrue();
    }
}
