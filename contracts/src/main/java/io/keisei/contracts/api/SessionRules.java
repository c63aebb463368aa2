package io.keisei.contracts.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The rules of the fields of a request that makes a session (createSession, forkModel), once: training-service's
 * validation annotations, the gateway's OpenAPI document and the JSON Schema the dashboard's form checks as the user
 * types ({@link #jsonSchema()}, served as getSessionSchema) all read these constants, so the browser cannot drift
 * from the server.
 *
 * <p>Patterns are written so that Java ({@code String.matches}, whole input) and ECMAScript (anchored, with the
 * {@code u} flag, as JSON Schema's {@code pattern} is read) agree.
 */
public final class SessionRules {

    /** The longest name, in UTF-16 code units (what both Java's and JavaScript's string length count). */
    public static final int NAME_MAX_LENGTH = 100;
    /** What a name may contain (it must also hold something other than spaces: it is required and stripped). */
    public static final String NAME_PATTERN = "[\\p{L}\\p{N} _.:-]*";
    public static final String NAME_RULE = "may contain letters, digits, spaces and _ . : - only";

    public static final int PRIORITY_MIN = 0;
    public static final int PRIORITY_MAX = 1000;
    /** The bounds as text, for annotations that take strings (OpenAPI's minimum and maximum). */
    public static final String PRIORITY_MIN_TEXT = "" + PRIORITY_MIN;
    public static final String PRIORITY_MAX_TEXT = "" + PRIORITY_MAX;

    public static final int TEMPLATE_MAX_LENGTH = 64;
    public static final int TRAINER_MAX_LENGTH = 64;
    public static final int RESUME_FROM_MAX_LENGTH = 128;
    public static final int CONFIG_TOML_MAX_LENGTH = 262_144;

    /**
     * A pool is named as resource-service names it: in cluster mode by the value of the {@code keisei.io/pool} node
     * label, so the rule is a Kubernetes label value's (whether the pool exists is resource-service's answer at start).
     */
    public static final int POOL_MAX_LENGTH = 63;
    public static final String POOL_DESCRIPTION = "the resource pool its trainer runs in (GET /api/v1/resources lists them); "
            + "default: the default pool";
    public static final String POOL_PATTERN = "[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?";
    public static final String POOL_RULE = "must be a pool name: letters, digits and _ . - only, beginning and ending with a "
            + "letter or digit";

    public static final int OWNER_MAX_LENGTH = 64;
    public static final String OWNER_PATTERN = "[A-Za-z0-9_.@-]*";
    public static final String OWNER_RULE = "may contain letters, digits and _ . @ - only";
    public static final String ROLE_PATTERN = "admin|trainer|researcher|viewer";
    public static final String ROLE_RULE = "must be admin, trainer, researcher or viewer";

    /** The JSON Schema keyword (an annotation to validators) that carries the message of a failed {@code pattern}. */
    public static final String PATTERN_MESSAGE = "x-pattern-message";

    private SessionRules() {
    }

    /**
     * A JSON Schema (draft 2020-12) of createSession's body as the public API takes it: name, priority, template,
     * trainer, resumeFrom, configToml, pool, owner, gating; {@code config} is checked against the trainer's own config schema.
     */
    public static ObjectNode jsonSchema() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("title", "A new session (createSession's body)");
        schema.put("type", "object");
        schema.putArray("required").add("name");
        ObjectNode props = schema.putObject("properties");
        ObjectNode name = text(props, "name", NAME_MAX_LENGTH, "a display name; leading and trailing spaces are dropped");
        name.put("minLength", 1);
        pattern(name, NAME_PATTERN, NAME_RULE);
        ObjectNode priority = props.putObject("priority");
        priority.put("type", "integer");
        priority.put("minimum", PRIORITY_MIN);
        priority.put("maximum", PRIORITY_MAX);
        priority.put("default", PRIORITY_MIN);
        priority.put("description", "admission priority, higher first");
        text(props, "template", TEMPLATE_MAX_LENGTH, "a template to start from (see listTemplates)");
        text(props, "trainer", TRAINER_MAX_LENGTH, "the trainer to run (default: the template's, else builtin)");
        ObjectNode config = props.putObject("config");
        config.put("type", "object");
        config.put("description", "config values over the template's, checked against the trainer's config schema "
                + "(getConfigSchema)");
        text(props, "configToml", CONFIG_TOML_MAX_LENGTH, "keisei-2026 trainers only: the config as a TOML document");
        text(props, "resumeFrom", RESUME_FROM_MAX_LENGTH, "a model id whose session config is the base");
        pattern(text(props, "pool", POOL_MAX_LENGTH, POOL_DESCRIPTION), POOL_PATTERN, POOL_RULE);
        pattern(text(props, "owner", OWNER_MAX_LENGTH, "admins only: create it for this owner"), OWNER_PATTERN, OWNER_RULE);
        gating(props.putObject("gating"));
        return schema;
    }

    /** {@link GatingPolicy}'s simple rules (its pairwise ones, elo0 below elo1 and maxGames at least games, the server's). */
    private static void gating(ObjectNode gating) {
        gating.put("type", "object");
        gating.put("description", "automatic gating of the new checkpoints against the session's best (default: off)");
        ObjectNode p = gating.putObject("properties");
        ObjectNode mode = p.putObject("mode");
        mode.put("type", "string");
        mode.putArray("enum").add(GatingPolicy.MODE_OFF).add(GatingPolicy.MODE_SPRT).add(GatingPolicy.MODE_GAMES);
        mode.put("default", GatingPolicy.MODE_OFF);
        integer(p, "games", 1, EvaluationRules.MAX_GAMES, "games per gate evaluation (a batch in sprt mode)");
        integer(p, "maxGames", 1, GatingPolicy.MAX_GAMES_LIMIT, "sprt: the most games of one test");
        integer(p, "priority", -1000, 1000, "queue priority of the gate evaluations");
        for (String elo : new String[]{"elo0", "elo1"}) {
            ObjectNode e = p.putObject(elo);
            e.put("type", "number");
            e.put("minimum", -GatingPolicy.ELO_LIMIT);
            e.put("maximum", GatingPolicy.ELO_LIMIT);
        }
        for (String error : new String[]{"alpha", "beta"}) {
            ObjectNode e = p.putObject(error);
            e.put("type", "number");
            e.put("exclusiveMinimum", 0);
            e.put("exclusiveMaximum", 0.5);
        }
    }

    private static void integer(ObjectNode props, String name, int min, int max, String description) {
        ObjectNode p = props.putObject(name);
        p.put("type", "integer");
        p.put("minimum", min);
        p.put("maximum", max);
        p.put("description", description);
    }

    private static ObjectNode text(ObjectNode props, String name, int maxLength, String description) {
        ObjectNode p = props.putObject(name);
        p.put("type", "string");
        p.put("maxLength", maxLength);
        p.put("description", description);
        return p;
    }

    private static void pattern(ObjectNode p, String pattern, String rule) {
        p.put("pattern", "^" + pattern + "$");
        p.put(PATTERN_MESSAGE, rule);
    }
}
