package io.keisei.contracts.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keisei-train 2026 dialect: the rules of Keisei's own load_config (upstream 08747e1), answered per field. */
class Keisei2026ValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode valid(String json) throws Exception {
        return Keisei2026Validator.validate(JSON.readTree(json));
    }

    private static List<String> errorFields(String json) throws Exception {
        JsonNode user = JSON.readTree(json);
        try {
            Keisei2026Validator.validate(user);
            return List.of();
        } catch (InvalidConfigException e) {
            return e.errors().stream().map(ConfigError::field).toList();
        }
    }

    @Test
    void emptyDocumentGetsKeiseisOwnDefaults() throws Exception {
        ObjectNode c = valid("{}");
        assertThat(c.at("/training/num_games").asInt()).isEqualTo(8);
        assertThat(c.at("/training/max_ply").asInt()).isEqualTo(500);
        assertThat(c.at("/training/algorithm").asText()).isEqualTo("katago_ppo");
        assertThat(c.at("/training/checkpoint_interval").asInt()).isEqualTo(50);
        assertThat(c.at("/display/moves_per_minute").asInt()).isEqualTo(30);
        assertThat(c.at("/model/architecture").asText()).isEqualTo("se_resnet");
        assertThat(c.at("/model/params/num_blocks").asInt()).isEqualTo(40);
        assertThat(c.at("/training/algorithm_params/learning_rate").asDouble()).isEqualTo(2e-4);
        assertThat(c.at("/training/algorithm_params/compile_mode").isNull()).isTrue();
        assertThat(c.at("/run/default_epochs").asInt()).isEqualTo(1000);
        assertThat(c.at("/resources/gpus").asInt()).isEqualTo(1);
        // resnet has no default sizes in Keisei: they must be given
        assertThat(errorFields("{\"model\":{\"architecture\":\"resnet\"}}"))
                .containsExactlyInAnyOrder("model.params.hidden_size", "model.params.num_layers");
    }

    @Test
    void seResnetParamsAreFilledAndCheckedForItsArchitectureOnly() throws Exception {
        ObjectNode c = valid("{\"model\":{\"architecture\":\"se_resnet\",\"params\":{\"num_blocks\":10}}}");
        assertThat(c.at("/model/params/num_blocks").asInt()).isEqualTo(10);
        assertThat(c.at("/model/params/channels").asInt()).isEqualTo(256);
        assertThat(errorFields("{\"model\":{\"architecture\":\"se_resnet\",\"params\":{\"num_blocks\":0,\"hidden_size\":3}}}"))
                .containsExactlyInAnyOrder("model.params.num_blocks", "model.params.hidden_size");
        assertThat(errorFields("{\"model\":{\"architecture\":\"transformer\",\"params\":{\"d_model\":100,\"nhead\":3,\"num_layers\":2}}}"))
                .containsExactly("model.params.d_model");
        assertThat(errorFields("{\"model\":{\"architecture\":\"transformer\",\"params\":{\"d_model\":96}}}"))
                .containsExactlyInAnyOrder("model.params.nhead", "model.params.num_layers");
        assertThat(errorFields("{\"model\":{\"architecture\":\"mlp\",\"params\":{\"hidden_sizes\":[256,0]}}}"))
                .containsExactly("model.params.hidden_sizes");
        assertThat(errorFields("{\"model\":{\"architecture\":\"mlp\",\"params\":{\"hidden_sizes\":[256,128]}}}")).isEmpty();
    }

    @Test
    void everyKeiseiRuleIsReportedAtOnceWithItsPath() throws Exception {
        assertThat(errorFields("""
                {"training": {"num_games": 513, "max_ply": 0, "algorithm": "ppo", "checkpoint_interval": 0, "use_amp": "yes",
                              "wat": 1, "algorithm_params": {"learning_rate": 0, "gamma": 1.5, "grad_clip": 0, "nope": 1}},
                 "display": {"moves_per_minute": -1},
                 "model": {"architecture": "cnn"},
                 "resources": {"gpus": 17},
                 "extras": {}}
                """)).containsExactlyInAnyOrder("training.num_games", "training.max_ply", "training.algorithm",
                "training.checkpoint_interval", "training.use_amp", "training.wat", "training.algorithm_params.learning_rate",
                "training.algorithm_params.gamma", "training.algorithm_params.grad_clip", "training.algorithm_params.nope",
                "display.moves_per_minute", "model.architecture", "resources.gpus", "extras");
    }

    @Test
    void pathsThatDecideWhereKeiseiWritesAreTheServersNotTheUsers() throws Exception {
        assertThatThrownBy(() -> valid("{\"training\":{\"checkpoint_dir\":\"/etc\"},\"display\":{\"db_path\":\"/tmp/x.db\"}}"))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).errors()).extracting(ConfigError::message)
                        .allMatch(m -> m.startsWith("set by Keisei Web UI")));
    }

    @Test
    void leagueTablesPassThroughButTomlCannotHoldNull() throws Exception {
        ObjectNode c = valid("{\"league\":{\"elo\":{\"initial\":1500},\"frontier\":{\"slots\":4}}}");
        assertThat(c.at("/league/frontier/slots").asInt()).isEqualTo(4);
        assertThat(errorFields("{\"league\":{\"elo\":{\"initial\":null}}}")).containsExactly("league.elo.initial");
        assertThat(errorFields("{\"league\":3}")).containsExactly("league");
    }

    @Test
    void schemaNestsTablesAsTheTomlDocumentDoes() {
        ObjectNode schema = ConfigDialect.KEISEI_2026.jsonSchema();
        assertThat(schema.at("/properties/training/properties/num_games/maximum").asInt()).isEqualTo(512);
        assertThat(schema.at("/properties/training/properties/algorithm_params/properties/learning_rate/exclusiveMinimum").asDouble())
                .isEqualTo(0.0);
        assertThat(schema.at("/properties/model/properties/params/properties/num_blocks/default").asInt()).isEqualTo(40);
        assertThat(schema.at("/properties/training/properties/algorithm_params/properties/compile_mode/enum").toString())
                .isEqualTo("[\"default\",\"reduce-overhead\",\"max-autotune\",null]");
        assertThat(schema.at("/properties/training/additionalProperties").asBoolean()).isFalse();
        assertThat(schema.at("/properties/league/type").asText()).isEqualTo("object");
    }

    @Test
    void dialectsAreNamedOnTheWire() {
        assertThat(ConfigDialect.fromWire("keisei-2026")).contains(ConfigDialect.KEISEI_2026);
        assertThat(ConfigDialect.fromWire("keisei-2025")).contains(ConfigDialect.KEISEI_2025);
        assertThat(ConfigDialect.fromWire("toml")).isEmpty();
    }
}
