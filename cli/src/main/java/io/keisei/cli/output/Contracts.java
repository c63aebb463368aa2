package io.keisei.cli.output;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads API answers into the records of {@code io.keisei.contracts} where the API serves one (sessions, models,
 * templates, pools and the other bodies of {@code io.keisei.contracts.api}; allocations and system samples): the
 * same types the services write, so a renamed field breaks this build, not the table at run time. The tables are
 * drawn from these; {@code -o json|yaml} prints the answer as it came. Unknown fields are ignored: a newer gateway
 * may add some.
 */
public final class Contracts {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Contracts() {
    }

    public static <T> T read(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (Exception e) {
            throw new CliException(ExitCodes.ERROR, "the gateway's answer is not the " + type.getSimpleName() + " this client knows: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }

    public static <T> List<T> list(JsonNode array, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(read(n, type));
        }
        return out;
    }
}
