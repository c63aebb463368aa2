package io.keisei.contracts.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class SessionRulesTest {

    @Test
    void namesHoldLettersDigitsSpacesAndAFewMarks() {
        Pattern name = Pattern.compile(SessionRules.NAME_PATTERN);
        for (String good : new String[]{"e2e run", "ppo-v2.1_b:final", "将棋 ラン 3", "Ünïcode"}) {
            assertThat(name.matcher(good).matches()).as(good).isTrue();
        }
        for (String bad : new String[]{"a=b", "a/b", "<script>", "tab\there", "semi;colon", "quote\""}) {
            assertThat(name.matcher(bad).matches()).as(bad).isFalse();
        }
    }

    @Test
    void poolsAreNamedAsKubernetesLabelValues() {
        Pattern pool = Pattern.compile(SessionRules.POOL_PATTERN);
        for (String good : new String[]{"h100", "default", "local", "a", "gpu.a100-80g_x8", "A1"}) {
            assertThat(pool.matcher(good).matches()).as(good).isTrue();
        }
        for (String bad : new String[]{"", "-h100", "h100-", ".x", "x_", "h 100", "h100/x", "pool:1", "プール"}) {
            assertThat(pool.matcher(bad).matches()).as(bad).isFalse();
        }
        assertThat(SessionRules.POOL_MAX_LENGTH).isEqualTo(63);
    }

    @Test
    void theJsonSchemaStatesTheSameRules() {
        JsonNode schema = SessionRules.jsonSchema();
        assertThat(schema.at("/required/0").asText()).isEqualTo("name");
        JsonNode name = schema.at("/properties/name");
        assertThat(name.get("maxLength").asInt()).isEqualTo(SessionRules.NAME_MAX_LENGTH);
        assertThat(name.get("minLength").asInt()).isEqualTo(1);
        assertThat(name.get("pattern").asText()).isEqualTo("^" + SessionRules.NAME_PATTERN + "$");
        assertThat(name.get(SessionRules.PATTERN_MESSAGE).asText()).isEqualTo(SessionRules.NAME_RULE);
        JsonNode priority = schema.at("/properties/priority");
        assertThat(priority.get("type").asText()).isEqualTo("integer");
        assertThat(priority.get("minimum").asInt()).isEqualTo(SessionRules.PRIORITY_MIN);
        assertThat(priority.get("maximum").asInt()).isEqualTo(SessionRules.PRIORITY_MAX);
        assertThat(schema.at("/properties/template/maxLength").asInt()).isEqualTo(SessionRules.TEMPLATE_MAX_LENGTH);
        assertThat(schema.at("/properties/resumeFrom/maxLength").asInt()).isEqualTo(SessionRules.RESUME_FROM_MAX_LENGTH);
        assertThat(schema.at("/properties/owner/pattern").asText()).isEqualTo("^" + SessionRules.OWNER_PATTERN + "$");
        JsonNode pool = schema.at("/properties/pool");
        assertThat(pool.get("maxLength").asInt()).isEqualTo(SessionRules.POOL_MAX_LENGTH);
        assertThat(pool.get("pattern").asText()).isEqualTo("^" + SessionRules.POOL_PATTERN + "$");
        assertThat(pool.get(SessionRules.PATTERN_MESSAGE).asText()).isEqualTo(SessionRules.POOL_RULE);
        assertThat(SessionRules.PRIORITY_MAX_TEXT).isEqualTo(String.valueOf(SessionRules.PRIORITY_MAX));
    }
}
