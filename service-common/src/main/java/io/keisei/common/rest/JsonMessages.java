package io.keisei.common.rest;

import com.fasterxml.jackson.core.JsonLocation;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Jackson's messages in a client's terms: JSON types instead of Java class names, and where it broke. */
final class JsonMessages {

    private static final Pattern JAVA_TYPE = Pattern.compile("`([\\w.$\\[\\]<>, ]+)`");

    private JsonMessages() {
    }

    /** The message with every back-quoted Java type named as the JSON it expects. */
    static String readable(String message) {
        if (message == null) {
            return "";
        }
        Matcher m = JAVA_TYPE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(jsonType(m.group(1))));
        }
        m.appendTail(out);
        // Jackson sometimes names a type without quotes, e.g. "(for Object starting at ...)"; drop package names there too.
        return out.toString()
                .replaceAll("Unrecognized field (\"[^\"]*\") \\(class [^)]*\\),? ?(not marked as ignorable)?.*", "unknown field $1")
                .replaceAll(" \\(token ([^)]*)\\)", " (found $1)")
                .replaceAll("\\b(?:[a-z_][\\w]*\\.)+[A-Z][\\w$]*", "object");
    }

    static String where(JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return "";
        }
        return " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static String jsonType(String javaType) {
        String t = javaType.strip();
        if (t.startsWith("JsonToken.")) {
            return switch (t.substring("JsonToken.".length())) {
                case "VALUE_NUMBER_INT" -> "an integer";
                case "VALUE_NUMBER_FLOAT" -> "a number";
                case "VALUE_STRING" -> "a string";
                case "VALUE_TRUE", "VALUE_FALSE" -> "a boolean";
                case "VALUE_NULL" -> "null";
                case "START_ARRAY" -> "an array";
                case "START_OBJECT" -> "an object";
                default -> "a value";
            };
        }
        String raw = t.replaceAll("<.*", "");
        if (t.endsWith("[]") || raw.endsWith("List") || raw.endsWith("Set") || raw.endsWith("Collection")) {
            return "array";
        }
        if (raw.endsWith("Map")) {
            return "object";
        }
        return switch (t) {
            case "java.lang.String", "char", "java.lang.Character" -> "string";
            case "int", "long", "short", "byte", "java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte",
                 "java.math.BigInteger" -> "integer";
            case "double", "float", "java.lang.Double", "java.lang.Float", "java.math.BigDecimal" -> "number";
            case "boolean", "java.lang.Boolean" -> "boolean";
            default -> "object";
        };
    }
}
