package io.keisei.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * The JSON codec of the stream protocol. A stream entry has one field, {@link Streams#PAYLOAD_FIELD},
 * whose value is the message as JSON. Decoding checks the version before anything else, so a
 * record written by a newer producer is rejected as {@code UNKNOWN_VERSION} rather than
 * misread; every failure is a {@link MessageFormatException} with a kind and a readable message.
 */
public final class StreamCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final Map<Class<? extends StreamMessage>, Integer> VERSIONS = Map.of(
            MetricUpdate.class, MetricUpdate.VERSION,
            GameState.class, GameState.VERSION,
            LifecycleEvent.class, LifecycleEvent.VERSION,
            SystemStatus.class, SystemStatus.VERSION,
            ControlCommand.class, ControlCommand.VERSION);

    private StreamCodec() {
    }

    /** The message as JSON. Records validate on construction, so anything encodable is decodable. */
    public static String encode(StreamMessage message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** The message as the field map of a stream entry (for XADD). */
    public static Map<String, String> toEntry(StreamMessage message) {
        return Map.of(Streams.PAYLOAD_FIELD, encode(message));
    }

    /** Decodes the field map of a stream entry. */
    public static <T extends StreamMessage> T fromEntry(Map<String, String> entry, Class<T> type) {
        if (entry == null || entry.get(Streams.PAYLOAD_FIELD) == null) {
            throw new MessageFormatException(MessageFormatException.Kind.MISSING_FIELD,
                    "stream entry has no '" + Streams.PAYLOAD_FIELD + "' field");
        }
        return decode(entry.get(Streams.PAYLOAD_FIELD), type);
    }

    /** Decodes one message of the given type, or throws {@link MessageFormatException}. */
    public static <T extends StreamMessage> T decode(String json, Class<T> type) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MessageFormatException(MessageFormatException.Kind.MALFORMED_JSON,
                    "malformed JSON: " + firstLine(e.getMessage()), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new MessageFormatException(MessageFormatException.Kind.MALFORMED_JSON, "message must be a JSON object");
        }
        checkVersion(tree, type);
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw translate(e);
        }
    }

    private static void checkVersion(JsonNode tree, Class<?> type) {
        JsonNode v = tree.get("v");
        if (v == null || v.isNull()) {
            throw new MessageFormatException(MessageFormatException.Kind.MISSING_FIELD, "missing field 'v'");
        }
        if (!v.isIntegralNumber()) {
            throw new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE, "field 'v' must be an integer");
        }
        int supported = VERSIONS.get(type);
        if (v.asInt() != supported) {
            throw new MessageFormatException(MessageFormatException.Kind.UNKNOWN_VERSION,
                    "unsupported " + type.getSimpleName() + " version " + v.asInt() + " (this build understands v" + supported + ")");
        }
    }

    private static MessageFormatException translate(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MessageFormatException mfe) {
                return mfe;
            }
        }
        if (e instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
            String field = mie.getPath().get(mie.getPath().size() - 1).getFieldName();
            String msg = firstLine(mie.getOriginalMessage());
            if (msg.contains("Missing") || msg.contains("missing") || msg.contains("null")) {
                return new MessageFormatException(MessageFormatException.Kind.MISSING_FIELD, "missing field '" + field + "'", e);
            }
            return new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE, "invalid field '" + field + "': " + msg, e);
        }
        if (e instanceof MismatchedInputException mie && mie.getOriginalMessage().contains("Missing required creator property")) {
            return new MessageFormatException(MessageFormatException.Kind.MISSING_FIELD, firstLine(mie.getOriginalMessage()), e);
        }
        return new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE, firstLine(e.getMessage()), e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
