package io.keisei.training.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.CheckpointRequested;
import io.keisei.contracts.api.ConfigTemplate;
import io.keisei.contracts.api.FieldError;
import io.keisei.contracts.api.GatingPolicy;
import io.keisei.contracts.api.Session;
import io.keisei.contracts.api.SessionAttempt;
import io.keisei.contracts.api.SessionPage;
import io.keisei.contracts.api.SessionRules;
import io.keisei.contracts.api.SessionState;
import io.keisei.contracts.config.ConfigDialect;
import io.keisei.training.launcher.TrainerProgram;
import io.keisei.training.launcher.TrainerPrograms;
import io.keisei.training.service.CheckpointGate;
import io.keisei.training.service.ConfigMerge;
import io.keisei.training.service.ConfigTemplates;
import io.keisei.training.service.SessionLifecycle;
import io.keisei.training.service.SessionService;
import io.keisei.training.service.TomlDocuments;
import io.keisei.training.service.TrainerLogs;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.stream.Collectors;

/** Training sessions: CRUD, lifecycle actions, config and logs. */
@Path("/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    /** Body of POST /sessions. {@code config} overlays the template (or Keisei's defaults). The rules: {@link SessionRules}. */
    public record CreateSessionRequest(
            @NotBlank @Size(max = SessionRules.NAME_MAX_LENGTH)
            @Pattern(regexp = SessionRules.NAME_PATTERN, message = SessionRules.NAME_RULE) String name,
            @NotBlank @Size(max = SessionRules.OWNER_MAX_LENGTH)
            @Pattern(regexp = SessionRules.OWNER_PATTERN, message = SessionRules.OWNER_RULE) String owner,
            @Pattern(regexp = SessionRules.ROLE_PATTERN, message = SessionRules.ROLE_RULE) String ownerRole,
            @Min(SessionRules.PRIORITY_MIN) @Max(SessionRules.PRIORITY_MAX) Integer priority,
            @Size(max = SessionRules.TEMPLATE_MAX_LENGTH) String template,
            @Size(max = SessionRules.TRAINER_MAX_LENGTH) String trainer,
            @Size(max = SessionRules.RESUME_FROM_MAX_LENGTH) String resumeFrom,
            JsonNode config,
            @Size(max = SessionRules.CONFIG_TOML_MAX_LENGTH) String configToml,
            GatingPolicy gating,
            @Size(max = SessionRules.POOL_MAX_LENGTH)
            @Pattern(regexp = SessionRules.POOL_PATTERN, message = SessionRules.POOL_RULE) String pool) {
    }

    private final SessionService sessions;
    private final SessionLifecycle lifecycle;
    private final ConfigTemplates templates;
    private final TrainerPrograms trainers;
    private final TrainerLogs logs;
    private final CheckpointGate gates;

    public SessionResource(SessionService sessions, SessionLifecycle lifecycle, ConfigTemplates templates,
                           TrainerPrograms trainers, TrainerLogs logs, CheckpointGate gates) {
        this.gates = gates;
        this.sessions = sessions;
        this.lifecycle = lifecycle;
        this.templates = templates;
        this.trainers = trainers;
        this.logs = logs;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a session (state: created) from a template and/or a config")
    public Response create(@NotNull(message = "a JSON body is required") @Valid CreateSessionRequest body,
                           @Context UriInfo uri) {
        if (body.config() != null && !body.config().isNull() && !body.config().isObject()) {
            throw ProblemException.badRequest("config", "must be a JSON object");
        }
        checkGating(body.gating(), "gating.");
        ConfigTemplate template = body.template() == null ? null : templates.get(body.template());
        String trainer = trainerOf(body, template);
        TrainerProgram program = trainers.program(trainer);
        ConfigDialect dialect = program.dialect();
        JsonNode base = null;
        if (body.resumeFrom() != null) {
            base = resumeBase(body.resumeFrom(), trainer, dialect);
        }
        if (template != null) {
            if (!template.dialect().equals(dialect.wire())) {
                throw ProblemException.badRequest("template", "template '" + template.name() + "' is a " + template.dialect()
                        + " config; trainer '" + trainer + "' reads " + dialect.wire() + " configs");
            }
            base = template.config();
        }
        ObjectNode effective = ConfigMerge.effective(program, base, userConfig(body, dialect), "config");
        Session s = sessions.create(new SessionService.NewSession(body.name().strip(), body.owner(),
                body.ownerRole() == null ? "trainer" : body.ownerRole(), body.priority() == null ? 0 : body.priority(),
                body.template(), trainer, effective, body.resumeFrom(), body.gating(), body.pool()));
        return Response.created(uri.getAbsolutePathBuilder().path(s.id()).build()).entity(s).build();
    }

    /** The config overlay: {@code config} (JSON), or {@code configToml} (a keisei-train TOML document as text). */
    private static JsonNode userConfig(CreateSessionRequest body, ConfigDialect dialect) {
        if (body.configToml() == null) {
            return body.config();
        }
        if (body.config() != null && !body.config().isNull()) {
            throw ProblemException.badRequest("configToml", "give config or configToml, not both");
        }
        if (dialect != ConfigDialect.KEISEI_2026) {
            throw ProblemException.badRequest("configToml", "only keisei-2026 trainers take TOML configs; this one reads "
                    + dialect.wire() + " JSON in 'config'");
        }
        return TomlDocuments.parse(body.configToml(), "configToml");
    }

    /** The trainer named, else the template's, else the built-in one; a template's trainer may not be registered here. */
    private String trainerOf(CreateSessionRequest body, ConfigTemplate template) {
        if (body.trainer() != null) {
            trainers.requireKnown(body.trainer());
            return body.trainer();
        }
        if (template == null) {
            return TrainerProgram.BUILTIN;
        }
        if (!template.available()) {
            throw ProblemException.badRequest("template", "template '" + template.name() + "' needs a custom trainer of the "
                    + template.dialect() + " dialect, and none is registered here: an operator registers one (docs/"
                    + template.dialect() + ".md)");
        }
        return template.trainer();
    }

    /** A model's session config as the base of a new session; only within one dialect, and not for keisei-train. */
    private JsonNode resumeBase(String model, String trainer, ConfigDialect dialect) {
        SessionService.ModelOrigin origin = sessions.originOfModel(model)
                .orElseThrow(() -> ProblemException.badRequest("resumeFrom", "unknown model '" + model + "'"));
        if (dialect == ConfigDialect.KEISEI_2026) {
            throw ProblemException.badRequest("resumeFrom", "trainer '" + trainer + "' (keisei-train) resumes only from its own "
                    + "session's database: resume that session instead of starting a new one from a model");
        }
        ConfigDialect from = origin.trainer() == null ? ConfigDialect.KEISEI_2025 : trainers.names().contains(origin.trainer())
                ? trainers.program(origin.trainer()).dialect() : ConfigDialect.KEISEI_2025;
        if (from != dialect) {
            throw ProblemException.badRequest("resumeFrom", "model '" + model + "' comes from a " + from.wire()
                    + " session; trainer '" + trainer + "' reads " + dialect.wire() + " configs");
        }
        return origin.config();
    }

    @GET
    @Operation(summary = "List sessions, newest first")
    public SessionPage list(@QueryParam("owner") String owner, @QueryParam("state") String state,
                            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(1_000_000) int page,
                            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        SessionState filter = parseState(state);
        return new SessionPage(sessions.list(owner, filter, page, size), page, size, sessions.count(owner, filter));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One session")
    public Session get(@PathParam("id") String id) {
        return sessions.get(id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a session that is not queued or running, with its checkpoints")
    public Response delete(@PathParam("id") String id) {
        sessions.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/start")
    @Operation(summary = "Start: request resources, then launch the trainer (queued while resources are busy)")
    public Session start(@PathParam("id") String id) {
        return lifecycle.start(id);
    }

    @POST
    @Path("/{id}/stop")
    @Operation(summary = "Stop: the trainer checkpoints and exits; killed after the grace period")
    public Session stop(@PathParam("id") String id) {
        return lifecycle.stop(id);
    }

    @POST
    @Path("/{id}/pause")
    @Operation(summary = "Pause: checkpoint, exit and release resources; resume continues from the checkpoint")
    public Session pause(@PathParam("id") String id) {
        return lifecycle.pause(id);
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Resume a paused, stopped or failed session as a new attempt from its latest checkpoint")
    public Session resume(@PathParam("id") String id) {
        return lifecycle.resume(id);
    }

    @POST
    @Path("/{id}/checkpoint")
    @Operation(summary = "Ask the running trainer for a checkpoint now")
    public Response checkpoint(@PathParam("id") String id) {
        String request = lifecycle.checkpointNow(id);
        return Response.accepted(new CheckpointRequested(id, request)).build();
    }

    @GET
    @Path("/{id}/attempts")
    @Operation(summary = "Attempts of a session, oldest first")
    public List<SessionAttempt> attempts(@PathParam("id") String id) {
        return sessions.attempts(id);
    }

    @GET
    @Path("/{id}/config")
    @Operation(summary = "The effective config of a session")
    public JsonNode config(@PathParam("id") String id) {
        return sessions.get(id).config();
    }

    @PUT
    @Path("/{id}/config")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the config (overlaid on Keisei's defaults) while the session is not queued or running")
    public JsonNode updateConfig(@PathParam("id") String id, JsonNode config) {
        if (config == null || !config.isObject()) {
            throw ProblemException.badRequest("config", "must be a JSON object");
        }
        TrainerProgram program = trainers.program(sessions.get(id).trainer());
        return sessions.updateConfig(id, ConfigMerge.effective(program, null, config, "")).config();
    }

    @GET
    @Path("/{id}/gating")
    @Operation(summary = "How the session gates its new checkpoints against its best (with defaults)")
    public GatingPolicy gating(@PathParam("id") String id) {
        return sessions.get(id).gating();
    }

    @PUT
    @Path("/{id}/gating")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the gating policy, at any time: off stops filing new gates; on gates the newest "
            + "checkpoint that waits")
    public GatingPolicy updateGating(@PathParam("id") String id, GatingPolicy gating) {
        if (gating == null) {
            throw ProblemException.badRequest("body", "must be a gating policy such as {\"mode\": \"sprt\"}");
        }
        checkGating(gating, "");
        GatingPolicy updated = sessions.updateGating(id, gating);
        gates.advance(id);
        return updated;
    }

    /** 400 with one error per invalid field of a gating policy (absent: valid, gating off). */
    private static void checkGating(GatingPolicy gating, String prefix) {
        if (gating == null) {
            return;
        }
        List<FieldError> errors = gating.check(prefix);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors.stream().map(f -> f.field() + ": " + f.message())
                    .collect(Collectors.joining("; ")), errors);
        }
    }

    @GET
    @Path("/{id}/logs")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The last lines of the session's trainer log")
    public String logs(@PathParam("id") String id, @QueryParam("tail") @DefaultValue("200") @Min(1) @Max(10000) int tail) {
        sessions.get(id);
        return logs.tail(id, tail);
    }

    private static SessionState parseState(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return SessionState.fromWire(state);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state", "unknown state '" + state + "'");
        }
    }
}
