package io.keisei.training.rest;

import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.Checkpoint;
import io.keisei.contracts.api.ModelPage;
import io.keisei.contracts.api.Session;
import io.keisei.contracts.api.SessionRules;
import io.keisei.contracts.config.ConfigDialect;
import io.keisei.training.launcher.TrainerPrograms;
import io.keisei.training.service.CheckpointRegistry;
import io.keisei.training.service.SessionService;
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
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/** The model registry: checkpoints by session, metadata, download, delete, fork. */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    /**
     * Body of POST /models/{id}/fork, checked by the rules of a create: the fork belongs to owner, with
     * ownerRole's quotas; priority is what was asked, else the source's when the owner forks their own
     * session, else 0 as for a create; pool is what was asked, else the source session's.
     */
    public record ForkRequest(
            @Size(max = SessionRules.NAME_MAX_LENGTH)
            @Pattern(regexp = SessionRules.NAME_PATTERN, message = SessionRules.NAME_RULE) String name,
            @NotBlank @Size(max = SessionRules.OWNER_MAX_LENGTH)
            @Pattern(regexp = SessionRules.OWNER_PATTERN, message = SessionRules.OWNER_RULE) String owner,
            @Pattern(regexp = SessionRules.ROLE_PATTERN, message = SessionRules.ROLE_RULE) String ownerRole,
            @Min(SessionRules.PRIORITY_MIN) @Max(SessionRules.PRIORITY_MAX) Integer priority,
            @Size(max = SessionRules.POOL_MAX_LENGTH)
            @Pattern(regexp = SessionRules.POOL_PATTERN, message = SessionRules.POOL_RULE) String pool) {
    }

    private final CheckpointRegistry registry;
    private final SessionService sessions;

    private final TrainerPrograms trainers;

    public ModelResource(CheckpointRegistry registry, SessionService sessions, TrainerPrograms trainers) {
        this.trainers = trainers;
        this.registry = registry;
        this.sessions = sessions;
    }

    @GET
    @Operation(summary = "Models (checkpoints), newest step first, optionally of one session, optionally only the "
            + "sessions' best (as automatic gating marked them)")
    public ModelPage list(@QueryParam("session") String session, @QueryParam("best") @DefaultValue("false") boolean best,
                          @QueryParam("page") @DefaultValue("0") @Min(0) @Max(1_000_000) int page,
                          @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        return new ModelPage(registry.list(session, best, page, size), page, size, registry.count(session, best));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Metadata of one model")
    public Checkpoint get(@PathParam("id") String id) {
        return registry.get(id);
    }

    @GET
    @Path("/{id}/download")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Download a checkpoint file (streamed; ETag is its sha256)")
    public Response download(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch)
            throws IOException {
        Checkpoint c = registry.get(id);
        EntityTag tag = new EntityTag(c.sha256());
        if (ifNoneMatch != null && (ifNoneMatch.contains(c.sha256()) || "*".equals(ifNoneMatch.trim()))) {
            return Response.notModified(tag).build();
        }
        FileChannel file = registry.open(c);
        long size = file.size();
        StreamingOutput body = out -> {
            try (file; InputStream in = Channels.newInputStream(file)) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.CONTENT_LENGTH, size)
                .header("Content-Disposition", "attachment; filename=\"" + c.session() + "-step" + c.step() + ".kshogi\"")
                .tag(tag)
                .build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a model (refused for the checkpoint a live attempt resumed from)")
    public Response delete(@PathParam("id") String id) {
        registry.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/fork")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A new session (state: created) that starts from this checkpoint with the same config")
    public Response fork(@PathParam("id") String id,
                         @NotNull(message = "a JSON body is required, e.g. {\"owner\": \"alice\"}") @Valid ForkRequest body) {
        Checkpoint model = registry.get(id);
        String trainer = sessions.get(model.session()).trainer();
        if (trainers.names().contains(trainer) && trainers.program(trainer).dialect() == ConfigDialect.KEISEI_2026) {
            throw ProblemException.conflict("model '" + id + "' comes from a keisei-train session, which resumes only from its own "
                    + "database: resume that session instead of forking", "keisei-2026");
        }
        Session s = sessions.fork(model, body.name(), body.owner(),
                body.ownerRole() == null ? "trainer" : body.ownerRole(), body.priority(), body.pool());
        return Response.status(201).entity(s).build();
    }

}
