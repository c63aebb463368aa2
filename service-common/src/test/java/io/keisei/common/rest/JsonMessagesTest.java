package io.keisei.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What a client reads when its JSON is wrong: where, and in JSON's words, never a Java class name. */
class JsonMessagesTest {

    record NewToken(String name, int days, List<String> scopes) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static String messageOf(String body) {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> JSON.readValue(body, NewToken.class));
        return JsonMessages.readable(e.getOriginalMessage()) + JsonMessages.where(e.getLocation());
    }

    @Test
    void typeMismatchesAreNamedInJsonTerms() {
        assertThat(messageOf("[1, 2]")).doesNotContain("io.keisei", "JsonMessagesTest", "$", "java.").contains("object");
        assertThat(messageOf("{\"days\": \"many\"}")).doesNotContain("java.", "int`").contains("integer");
        assertThat(messageOf("{\"scopes\": 5}")).doesNotContain("java.util").contains("array");
        assertThat(messageOf("{\"oops\": 1}")).doesNotContain("io.keisei", "$").contains("oops");
    }

    @Test
    void syntaxErrorsSayWhere() {
        assertThat(messageOf("{\"name\": \"x\",\n  }")).contains("line 2, column");
        assertThat(messageOf("{\"name\": ")).contains("line 1");
    }
}
