package io.keisei.gateway.rest;

import io.keisei.common.rest.Problem;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The OpenAPI document's frame (served at /q/openapi, committed as docs/openapi.yaml): every /api/v1
 * operation takes an API token as a bearer token, and every error is an RFC 9457 problem+json document.
 * The error answers are named here once, so that each operation lists the ones it can give by name
 * ({@code @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)}); those every call can give (401, 414,
 * 429; 413 with a body) are added by {@link CommonResponses}. Title and description come from
 * application.properties.
 */
@OpenAPIDefinition(info = @Info(title = "Keisei Web UI API", version = "0.1.0"),
        security = @SecurityRequirement(name = ApiDocument.BEARER),
        tags = {
                @Tag(name = "Sessions", description = "Training sessions: create, start, pause, resume, checkpoint, stop; live "
                        + "status, config, attempts, trainer logs"),
                @Tag(name = "Metrics", description = "A session's metric history, latest values, names, export and events"),
                @Tag(name = "Games", description = "Self-play games: moves and positions"),
                @Tag(name = "Models", description = "Checkpoints: list, metadata, download, delete, fork into a new session"),
                @Tag(name = "Evaluations", description = "Matches between models, the random player and the baseline engine, "
                        + "run as jobs; their games; the ratings they give"),
                @Tag(name = "Config", description = "Trainers, config schemas, defaults, templates and validation"),
                @Tag(name = "Resources", description = "Resource pools, allocations and the queue, estimates"),
                @Tag(name = "System", description = "System samples, internal services' readiness, gateway performance"),
                @Tag(name = "Auth", description = "API tokens, the caller's identity and the audit log")},
        components = @Components(parameters = @Parameter(name = ApiDocument.IDEMPOTENCY_KEY, in = ParameterIn.HEADER,
                required = false, description = "Makes a retry safe: a request repeated with the same key, method, path and "
                + "body within 24 hours is not carried out again but answered with the first answer (marked "
                + "Idempotent-Replayed: true). 1 to 255 printable ASCII characters, e.g. a UUID; each token has its own keys. "
                + "Answers kept: 2xx, and 4xx but 401, 403, 408, 409 and 429; after any other answer (5xx) the key is free "
                + "for a retry. The same key with another request is a 422; a retry while the first is still being carried "
                + "out a 409.",
                schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 255),
                example = "9f0e7b4c-2d1a-4f7e-8c55-0b6a3e1d2c4f"),
                responses = {
                @APIResponse(name = ApiDocument.BAD_REQUEST, responseCode = "400",
                        description = "The request is invalid: errors names each bad parameter or body field.",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "invalid-field", value = """
                                        {"type": "about:blank", "title": "Invalid request", "status": 400,
                                         "detail": "training.learning_rate: must be > 0", "instance": "/api/v1/sessions",
                                         "errors": [{"field": "training.learning_rate", "message": "must be > 0"}]}"""))),
                @APIResponse(name = ApiDocument.UNAUTHORIZED, responseCode = "401",
                        description = "No API token, or one that is unknown or revoked.",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "no-token", value = """
                                        {"type": "about:blank", "title": "Unauthorized", "status": 401,
                                         "detail": "unknown or revoked token", "instance": "/api/v1/sessions"}"""))),
                @APIResponse(name = ApiDocument.FORBIDDEN, responseCode = "403",
                        description = "The token's role lacks the permission, or the session belongs to someone else.",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "lacks-permission", value = """
                                        {"type": "about:blank", "title": "Forbidden", "status": 403,
                                         "detail": "role 'viewer' lacks permission 'training.start'",
                                         "instance": "/api/v1/sessions/s-1/start"}"""))),
                @APIResponse(name = ApiDocument.NOT_FOUND, responseCode = "404",
                        description = "Nothing has that id.",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "no-such-session", value = """
                                        {"type": "about:blank", "title": "Not found", "status": 404,
                                         "detail": "session 's-404' does not exist", "instance": "/api/v1/sessions/s-404"}"""))),
                @APIResponse(name = ApiDocument.CONFLICT, responseCode = "409",
                        description = "The session's state does not allow this now; state is its current state.",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "wrong-state", value = """
                                        {"type": "about:blank", "title": "Conflict", "status": 409,
                                         "detail": "session 's-1' is stopped; it cannot be paused now",
                                         "instance": "/api/v1/sessions/s-1/pause",
                                         "state": "stopped"}"""))),
                @APIResponse(name = ApiDocument.CONFLICT_OR_KEY_IN_PROGRESS, responseCode = "409",
                        description = "The session's state does not allow this now (state is its current state); or a "
                                + "request with the same Idempotency-Key is still being carried out: try again after "
                                + "Retry-After seconds for its answer.",
                        headers = @Header(name = "Retry-After", description = "seconds to wait (a key in use)",
                                schema = @Schema(type = SchemaType.INTEGER)),
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                                examples = {@ExampleObject(name = "wrong-state", value = """
                                        {"type": "about:blank", "title": "Conflict", "status": 409,
                                         "detail": "session 's-1' is stopped; it cannot be paused now",
                                         "instance": "/api/v1/sessions/s-1/pause",
                                         "state": "stopped"}"""),
                                        @ExampleObject(name = "key-in-use", value = ApiDocument.KEY_IN_USE_EXAMPLE)})),
                @APIResponse(name = ApiDocument.KEY_IN_PROGRESS, responseCode = "409",
                        description = "A request with the same Idempotency-Key is still being carried out: try again after "
                                + "Retry-After seconds for its answer.",
                        headers = @Header(name = "Retry-After", description = "seconds to wait",
                                schema = @Schema(type = SchemaType.INTEGER)),
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "key-in-use", value = ApiDocument.KEY_IN_USE_EXAMPLE))),
                @APIResponse(name = ApiDocument.KEY_REUSED, responseCode = "422",
                        description = "The Idempotency-Key was first used for another request (another method, path or "
                                + "body): a key names one request, so send a new key with a new request. (startSession and "
                                + "resumeSession also answer 422 when resources can never be granted: larger than the "
                                + "pool, or the owner's GPU-hours are used up.)",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "key-reused", value = """
                                        {"type": "about:blank", "title": "Idempotency-Key reused", "status": 422,
                                         "detail": "this Idempotency-Key was first used for this call with another body; a\
                                         key names one request: send a new key with a new request",
                                         "instance": "/api/v1/sessions"}"""))),
                @APIResponse(name = ApiDocument.PAYLOAD_TOO_LARGE, responseCode = "413",
                        description = "The body is larger than the server accepts (KEISEI_HTTP_MAX_BODY_BYTES, 1 MiB by default).",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "too-large", value = """
                                        {"type": "about:blank", "title": "Content Too Large", "status": 413,
                                         "detail": "the body is 2097152 bytes; at most 1048576 are accepted",
                                         "instance": "/api/v1/sessions"}"""))),
                @APIResponse(name = ApiDocument.URI_TOO_LONG, responseCode = "414",
                        description = "The URI is longer than the server accepts (KEISEI_HTTP_MAX_URI_LENGTH, 8192 by default).",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "too-long", value = """
                                        {"type": "about:blank", "title": "URI Too Long", "status": 414,
                                         "detail": "the request URI is 9000 characters; at most 8192 are accepted (send long lists\
                                         in a body, or page)",
                                         "instance": "/api/v1/sessions"}"""))),
                @APIResponse(name = ApiDocument.TOO_MANY_REQUESTS, responseCode = "429",
                        description = "Over the token's rate limit, or too many failed authentications from this address; "
                                + "try again after Retry-After seconds.",
                        headers = @Header(name = "Retry-After", description = "seconds to wait",
                                schema = @Schema(type = SchemaType.INTEGER)),
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "rate-limited", value = """
                                        {"type": "about:blank", "title": "Too Many Requests", "status": 429,
                                         "detail": "rate limit of 100 requests per second per token exceeded",
                                         "instance": "/api/v1/sessions"}"""))),
                @APIResponse(name = ApiDocument.BAD_GATEWAY, responseCode = "502",
                        description = "An internal service answered what the gateway cannot pass on (e.g. it refused the "
                                + "gateway's service credential).",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "credential-refused", value = """
                                        {"type": "about:blank", "title": "Bad Gateway", "status": 502,
                                         "detail": "training-service refused the gateway's service credential",
                                         "instance": "/api/v1/sessions"}"""))),
                @APIResponse(name = ApiDocument.SERVICE_UNAVAILABLE, responseCode = "503",
                        description = "An internal service is unreachable, too slow or busy; try again after Retry-After seconds.",
                        headers = @Header(name = "Retry-After", description = "seconds to wait",
                                schema = @Schema(type = SchemaType.INTEGER)),
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "unreachable", value = """
                                        {"type": "about:blank", "title": "Service Unavailable", "status": 503,
                                         "detail": "training-service is unreachable; try again shortly",
                                         "instance": "/api/v1/sessions"}""")))}))
@SecurityScheme(securitySchemeName = ApiDocument.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "ksk_ API token",
        description = "An API token (ksk_…) from POST /api/v1/auth/tokens or the admin token printed by ./keisei up, "
                + "sent as 'Authorization: Bearer <token>'.")
public class ApiDocument extends Application {

    static final String BEARER = "bearer";

    /** The If-None-Match parameter of cached reads, and their 304. */
    static final String EARLIER_ETAG = "an ETag of an earlier answer: 304 when it is still current";
    static final String NOT_MODIFIED = "Not modified: If-None-Match named the current ETag";

    /** Names of the shared error answers (components/responses). */
    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String NOT_FOUND = "NotFound";
    public static final String CONFLICT = "Conflict";
    public static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    public static final String URI_TOO_LONG = "UriTooLong";
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    public static final String BAD_GATEWAY = "BadGateway";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";
    /** The 409 of an operation that takes an Idempotency-Key, with and without state conflicts of its own. */
    public static final String CONFLICT_OR_KEY_IN_PROGRESS = "ConflictOrIdempotencyKeyInProgress";
    public static final String KEY_IN_PROGRESS = "IdempotencyKeyInProgress";
    public static final String KEY_REUSED = "IdempotencyKeyReused";

    /** The optional header of the operations that create or change something (components/parameters). */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    static final String KEY_IN_USE_EXAMPLE = """
            {"type": "about:blank", "title": "Conflict", "status": 409,
             "detail": "a request with this Idempotency-Key is still being carried out; try again after Retry-After \
            seconds for its answer",
             "instance": "/api/v1/sessions"}""";
}
