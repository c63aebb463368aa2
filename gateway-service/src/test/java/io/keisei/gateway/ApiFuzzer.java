package io.keisei.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends odd input to every operation of the gateway's OpenAPI document, as an outside tester did:
 * path and query values of the wrong type, out of range, overflowing, with NUL and control
 * characters, very long; bodies that are malformed, deeply nested, of the wrong JSON type, with
 * unknown fields, wrong content types. Collects every answer that breaks the rules: a 5xx, an error
 * without problem+json, a problem without a useful detail, or one that leaks Java internals.
 */
final class ApiFuzzer {

    /** What a run found. */
    record Report(int requests, Map<Integer, Integer> byStatus, List<String> violations) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LONG = "x".repeat(3000);

    static final List<String> PATH_VALUES = List.of("fuzz-id", "-1", "99999999999999999999", "%00", "a%0Ab", "..%2F..%2Fetc",
            "%E2%80%AE", "%20", "x".repeat(300), "%7B%7D", "null");
    static final List<String> QUERY_VALUES = List.of("abc", "-1", "0", "2147483648", "99999999999999999999", "%00", "1e309",
            "NaN", "%0D%0A", LONG, "", "%FF");
    static final List<String> QUERY_NAMES = List.of("page", "size", "limit", "tail", "owner", "session", "state", "names", "from",
            "to", "max_points", "cursor", "format", "actor");
    static final List<String> BODIES = List.of("{", "[]", "null", "\"x\"", "1", "true", "{\"zzz\": 1}",
            "{\"name\": 5, \"priority\": \"high\", \"config\": [], \"role\": {}}", "{\"name\": \"a\\u0000b\", \"owner\": \"\\u0007\"}",
            "{\"priority\": 1e400, \"size\": -99999999999999999999}", "{\"name\": \"" + LONG + "\"}",
            "[".repeat(5_000) + "]".repeat(5_000), "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000),
            "{\"config\": {\"training\": {\"learning_rate\": \"fast\", \"total_timesteps\": -5}}}", "");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final List<String> tokens;
    private int next;

    ApiFuzzer(String base, List<String> tokens) {
        this.base = base;
        this.tokens = tokens;
    }

    Report run() throws Exception {
        JsonNode doc = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        int requests = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/api/v1")) {
                continue;
            }
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase();
                if (!List.of("GET", "POST", "PUT", "DELETE").contains(method)) {
                    continue;
                }
                for (Request r : requestsFor(method, path.getKey())) {
                    requests++;
                    check(r, byStatus, violations);
                }
            }
        }
        return new Report(requests, byStatus, violations);
    }

    private record Request(String method, String pathAndQuery, String contentType, String body) {
    }

    private List<Request> requestsFor(String method, String template) {
        List<Request> out = new ArrayList<>();
        for (String v : PATH_VALUES) {
            out.add(new Request(method, fill(template, v), null, null));
        }
        String plain = fill(template, "fuzz-id");
        for (String name : QUERY_NAMES) {
            for (String v : QUERY_VALUES) {
                if (method.equals("GET") || v.equals("abc")) {
                    out.add(new Request(method, plain + "?" + name + "=" + v, null, null));
                }
            }
        }
        out.add(new Request(method, plain + "?%00=1&a=1&a=2", null, null));
        if (method.equals("POST") || method.equals("PUT")) {
            for (String body : BODIES) {
                out.add(new Request(method, plain, "application/json", body));
            }
            out.add(new Request(method, plain, "text/plain", "name=x"));
            out.add(new Request(method, plain, "application/xml", "<a/>"));
            out.add(new Request(method, plain, "application/json; charset=latin1", "{\"name\": \"\u00e9\"}"));
        }
        return out;
    }

    private static String fill(String template, String value) {
        return template.replaceAll("\\{[^}]+}", value);
    }

    private void check(Request r, Map<Integer, Integer> byStatus, List<String> violations) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(base + r.pathAndQuery())).timeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            return; // not a URI a client can send
        }
        b.header("Authorization", "Bearer " + tokens.get(next++ % tokens.size()));
        if (r.contentType() != null) {
            b.header("Content-Type", r.contentType());
        }
        b.method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(r.body()));
        HttpResponse<String> resp;
        try {
            resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            violations.add(r.method() + " " + abbreviate(r.pathAndQuery()) + ": no answer (" + e + ")");
            return;
        }
        byStatus.merge(resp.statusCode(), 1, Integer::sum);
        String what = r.method() + " " + abbreviate(r.pathAndQuery()) + (r.body() == null ? "" : " body " + abbreviate(r.body()))
                + " -> " + resp.statusCode();
        if (resp.statusCode() >= 500) {
            violations.add(what + ": server error " + abbreviate(resp.body()));
            return;
        }
        if (resp.statusCode() >= 400) {
            String type = resp.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("application/problem+json")) {
                violations.add(what + ": not problem+json (" + type + ")");
                return;
            }
            try {
                JsonNode p = JSON.readTree(resp.body());
                String detail = p.path("detail").asText("");
                if (detail.isBlank() || detail.startsWith("HTTP ") || p.path("status").asInt() != resp.statusCode()) {
                    violations.add(what + ": no useful detail: " + abbreviate(resp.body()));
                } else if (resp.body().contains("io.keisei") || resp.body().contains("java.") || resp.body().contains("Exception")) {
                    violations.add(what + ": leaks internals: " + abbreviate(resp.body()));
                }
            } catch (Exception e) {
                violations.add(what + ": unreadable problem: " + abbreviate(resp.body()));
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    static Map<String, Object> summary(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", r.requests());
        m.put("byStatus", r.byStatus());
        m.put("violations", r.violations().size());
        return m;
    }
}
