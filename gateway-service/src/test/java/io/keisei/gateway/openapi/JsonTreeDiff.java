package io.keisei.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Where two JSON trees differ, as JSON pointers with both values: a readable failure for a document of
 * thousands of lines (an assertion on the whole trees would print both).
 */
final class JsonTreeDiff {

    private JsonTreeDiff() {
    }

    /** Up to {@code max} differences, e.g. {@code /paths/~1api~1v1~1sessions/get/operationId: "a" != "b"}. */
    static List<String> between(JsonNode expected, JsonNode actual, int max) {
        List<String> out = new ArrayList<>();
        walk("", expected, actual, out, max);
        return out;
    }

    private static void walk(String at, JsonNode expected, JsonNode actual, List<String> out, int max) {
        if (out.size() >= max || expected.equals(actual)) {
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String here = at + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!expected.has(name)) {
                    out.add(here + ": only in the served document");
                } else if (!actual.has(name)) {
                    out.add(here + ": only in the committed file");
                } else {
                    walk(here, expected.get(name), actual.get(name), out, max);
                }
                if (out.size() >= max) {
                    return;
                }
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            for (int i = 0; e.hasNext(); i++) {
                walk(at + "/" + i, e.next(), a.next(), out, max);
            }
        } else {
            out.add(at + ": committed " + abbreviate(expected) + ", served " + abbreviate(actual));
        }
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }
}
