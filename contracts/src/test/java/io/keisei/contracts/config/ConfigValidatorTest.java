package io.keisei.contracts.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void emptyConfigGivesKeiseiDefaults() {
        TrainingConfig c = ConfigValidator.validate("{}");
        assertThat(c.training().learningRate()).isEqualTo(3e-4);
        assertThat(c.training().stepsPerEpoch()).isEqualTo(2048);
        assertThat(c.training().totalTimesteps()).isEqualTo(500_000);
        assertThat(c.env().device()).isEqualTo("cpu");
        assertThat(c.evaluation().numGames()).isEqualTo(20);
        assertThat(c.logging().runName()).isNull();
        assertThat(c.effective().get("training").get("lambda_gae").asDouble()).isEqualTo(0.95);
    }

    @Test
    void userValuesOverrideDefaultsAndRoundTripThroughEffectiveJson() {
        TrainingConfig c = ConfigValidator.validate("{\"training\":{\"learning_rate\":0.001,\"tower_width\":32},"
                + "\"env\":{\"seed\":7},\"logging\":{\"run_name\":\"quick\"}}");
        assertThat(c.training().learningRate()).isEqualTo(0.001);
        assertThat(c.training().towerWidth()).isEqualTo(32);
        assertThat(c.env().seed()).isEqualTo(7);
        assertThat(ConfigValidator.validate(c.effective())).isEqualTo(c);
    }

    @Test
    void everyErrorIsReportedWithItsPath() throws Exception {
        JsonNode bad = JSON.readTree("""
                {"training": {"learning_rate": 0, "total_timesteps": 20000000, "minibatch_size": 1,
                              "lr_schedule_type": "sometimes", "tower_width": 2.5, "normalize_advantages": "yes",
                              "bogus": 1},
                 "env": {"device": "tpu"},
                 "extras": {}}""");
        assertThat(ConfigValidator.errors(bad)).extracting(ConfigError::field).containsExactlyInAnyOrder(
                "training.learning_rate", "training.total_timesteps", "training.minibatch_size",
                "training.lr_schedule_type", "training.tower_width", "training.normalize_advantages",
                "training.bogus", "env.device", "extras");
        assertThat(ConfigValidator.errors(bad)).filteredOn(e -> e.field().equals("training.learning_rate"))
                .singleElement().extracting(ConfigError::message).isEqualTo("must be in (0, 1]");
        assertThat(ConfigValidator.errors(bad)).filteredOn(e -> e.field().equals("training.total_timesteps"))
                .singleElement().extracting(ConfigError::message).isEqualTo("must be in [1, 10,000,000]");
    }

    @Test
    void crossFieldRulesApplyToTheMergedConfig() throws Exception {
        assertThat(ConfigValidator.errors(JSON.readTree("{\"training\":{\"steps_per_epoch\":32}}")))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("training.minibatch_size");
                    assertThat(e.message()).contains("steps_per_epoch (32)");
                });
        assertThat(ConfigValidator.errors(JSON.readTree("{\"training\":{\"mixed_precision\":true}}")))
                .extracting(ConfigError::field).containsExactly("training.mixed_precision");
        assertThat(ConfigValidator.errors(JSON.readTree("{\"env\":{\"device\":\"cuda\"},\"training\":{\"mixed_precision\":true}}")))
                .isEmpty();
        assertThat(ConfigValidator.errors(JSON.readTree("{\"training\":{\"learning_rate\":1}}"))).isEmpty();
    }

    @Test
    void malformedOrNonObjectConfigsAreRejected() throws Exception {
        assertThatThrownBy(() -> ConfigValidator.validate("{\"training\":"))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("$"));
        assertThat(ConfigValidator.errors(JSON.readTree("[1]"))).extracting(ConfigError::field).containsExactly("$");
        assertThat(ConfigValidator.errors(JSON.readTree("{\"training\":5}"))).extracting(ConfigError::field).containsExactly("training");
    }

    @Test
    void jsonSchemaDescribesEveryFieldWithItsBounds() {
        JsonNode schema = ConfigSchema.jsonSchema();
        JsonNode lr = schema.at("/properties/training/properties/learning_rate");
        assertThat(lr.get("type").asText()).isEqualTo("number");
        assertThat(lr.get("exclusiveMinimum").asDouble()).isZero();
        assertThat(lr.get("maximum").asDouble()).isEqualTo(1.0);
        assertThat(lr.get("default").asDouble()).isEqualTo(3e-4);
        assertThat(schema.at("/properties/training/properties/total_timesteps/maximum").asLong()).isEqualTo(10_000_000);
        assertThat(schema.at("/properties/training/properties/lr_schedule_type/enum")).hasSize(5);
        assertThat(schema.at("/properties/training/additionalProperties").asBoolean()).isFalse();
        long fields = 0;
        for (JsonNode section : schema.get("properties")) {
            fields += section.get("properties").size();
        }
        assertThat(fields).isEqualTo(ConfigSchema.FIELDS.size());
    }

    @Test
    void aRunNameCannotLeadOutOfTheSessionsDirectory() {
        for (String bad : new String[]{"../x", "..", ".", "a/b", "run name"}) {
            assertThatThrownBy(() -> ConfigValidator.validate("{\"logging\":{\"run_name\":\"" + bad + "\"}}"))
                    .as(bad).isInstanceOf(InvalidConfigException.class).hasMessageContaining("logging.run_name");
        }
        assertThat(ConfigValidator.validate("{\"logging\":{\"run_name\":\"musashi-v2.1_b\"}}").logging().runName())
                .isEqualTo("musashi-v2.1_b");
    }

    @Test
    void aLogFileMustEndInAFileName() {
        for (String bad : new String[]{"", " ", "logs/", "logs/.", "logs/..", "..", "a/ \\t"}) {
            assertThatThrownBy(() -> ConfigValidator.validate("{\"logging\":{\"log_file\":\"" + bad + "\"}}"))
                    .as(bad).isInstanceOf(InvalidConfigException.class).hasMessageContaining("logging.log_file");
        }
        for (String good : new String[]{"log.txt", "logs/training_log.txt", "/var/x/.hidden", "a b/c d", "../x/...", ".../y"}) {
            assertThat(ConfigValidator.errors(TrainingConfig.SNAKE.createObjectNode().set("logging",
                    TrainingConfig.SNAKE.createObjectNode().put("log_file", good)))).as(good).isEmpty();
        }
    }

    /** The rules the validator checks with a pattern are in the JSON Schema too, anchored, with their message. */
    @Test
    void theSchemaCarriesThePatternRules() {
        JsonNode logging = ConfigSchema.jsonSchema().at("/properties/logging/properties");
        assertThat(logging.at("/run_name/pattern").asText()).isEqualTo("^" + ConfigValidator.RUN_NAME_PATTERN + "$");
        assertThat(logging.at("/run_name/x-pattern-message").asText()).isEqualTo(ConfigValidator.RUN_NAME_RULE);
        assertThat(logging.at("/log_file/pattern").asText()).isEqualTo("^" + ConfigValidator.LOG_FILE_PATTERN + "$");
        assertThat(logging.at("/log_file/maxLength").asInt()).isEqualTo(ConfigField.MAX_TEXT_LENGTH);
        assertThat(ConfigSchema.jsonSchema().at("/properties/env/properties/device/maxLength").isMissingNode()).isTrue();
    }
}
