package io.keisei.cli.trainingconfig;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.cli.CliException;
import io.keisei.cli.output.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingTest {

    @Test
    void valuesAreJsonWhenTheyParseElseStrings() {
        assertThat(Setting.parse("training.learning_rate=1e-4").value().isNumber()).isTrue();
        assertThat(Setting.parse("training.learning_rate=1e-4").value().asDouble()).isEqualTo(1e-4);
        assertThat(Setting.parse("a=42").value().isIntegralNumber()).isTrue();
        assertThat(Setting.parse("a=true").value().isBoolean()).isTrue();
        assertThat(Setting.parse("a=[1,2]").value().isArray()).isTrue();
        assertThat(Setting.parse("a={\"b\":1}").value().isObject()).isTrue();
        assertThat(Setting.parse("a=\"42\"").value().asText()).isEqualTo("42");
        assertThat(Setting.parse("env.device=cpu").value().asText()).isEqualTo("cpu");
        // Not JSON as a whole: a string, never the number in front of the rest.
        assertThat(Setting.parse("a=12abc").value().isTextual()).isTrue();
        assertThat(Setting.parse("a=007").value().asText()).isEqualTo("007");
        assertThat(Setting.parse("a=").value().asText()).isEmpty();
        assertThat(Setting.parse("a=x=y").value().asText()).isEqualTo("x=y");
        assertThat(Setting.parse(" training.tower_width =64").path()).containsExactly("training", "tower_width");
        assertThat(Setting.parse("ppo/clip=0.2").path()).containsExactly("ppo/clip");
    }

    @Test
    void malformedSettingsSayWhatIsWrong() {
        assertThatThrownBy(() -> Setting.parse("training.learning_rate")).hasMessageContaining("is not PATH=VALUE");
        assertThatThrownBy(() -> Setting.parse("=1")).hasMessageContaining("no path");
        assertThatThrownBy(() -> Setting.parse("training..lr=1")).hasMessageContaining("dotted path");
        assertThatThrownBy(() -> Setting.parse("training.=1")).hasMessageContaining("dotted path");
        assertThatThrownBy(() -> Setting.parse("a b=1")).hasMessageContaining("dotted path");
    }

    @Test
    void settingsMergeIntoTheOverlayByPathAndTheLastWins() {
        ObjectNode base = (ObjectNode) Json.MAPPER.createObjectNode().set("training",
                Json.MAPPER.createObjectNode().put("tower_width", 16).put("learning_rate", 0.5));
        ObjectNode out = ConfigOverlay.apply(base, List.of(Setting.parse("training.learning_rate=1e-4"),
                Setting.parse("evaluation.num_games=4"), Setting.parse("evaluation.num_games=8")));
        assertThat(out.toString()).isEqualTo("{\"training\":{\"tower_width\":16,\"learning_rate\":1.0E-4},\"evaluation\":{\"num_games\":8}}");
        assertThat(base.path("training").path("learning_rate").asDouble()).as("the base is not changed").isEqualTo(0.5);
        assertThat(ConfigOverlay.apply(null, List.of()).toString()).isEqualTo("{}");
    }

    @Test
    void aValueInTheWayOfASectionIsAUsageError() {
        ObjectNode base = Json.MAPPER.createObjectNode().put("training", 3);
        assertThatThrownBy(() -> ConfigOverlay.apply(base, List.of(Setting.parse("training.learning_rate=1"))))
                .isInstanceOf(CliException.class).hasMessageContaining("'training' is a value");
    }
}
