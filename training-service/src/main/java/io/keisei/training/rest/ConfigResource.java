package io.keisei.training.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.ConfigTemplate;
import io.keisei.contracts.api.ConfigValidation;
import io.keisei.contracts.api.TrainerInfo;
import io.keisei.contracts.config.ConfigDialect;
import io.keisei.training.launcher.TrainerProgram;
import io.keisei.training.launcher.TrainerPrograms;
import io.keisei.training.service.ConfigMerge;
import io.keisei.training.service.ConfigTemplates;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.util.List;

/**
 * Training configs: each trainer's schema and defaults (in its dialect), the trainers, templates and validation.
 * Without {@code trainer}, the built-in trainer's.
 */
@Path("/config")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigResource {

    private static final String TRAINER_PARAM = "the trainer whose config is meant (default: builtin); see /config/trainers";

    private final ConfigTemplates templates;
    private final TrainerPrograms trainers;

    public ConfigResource(ConfigTemplates templates, TrainerPrograms trainers) {
        this.templates = templates;
        this.trainers = trainers;
    }

    @GET
    @Path("/trainers")
    @Operation(summary = "The trainers sessions may use, each with the config dialect it reads")
    public List<TrainerInfo> trainers() {
        return trainers.all().stream().map(p -> new TrainerInfo(p.name(), p.dialect().wire(), p.isBuiltin())).toList();
    }

    @GET
    @Path("/schema")
    @Operation(summary = "JSON Schema of a trainer's config (drives the UI form)")
    public ObjectNode schema(@Parameter(description = TRAINER_PARAM) @QueryParam("trainer") String trainer) {
        return dialect(trainer).jsonSchema();
    }

    @GET
    @Path("/defaults")
    @Operation(summary = "A trainer's default config")
    public ObjectNode defaults(@Parameter(description = TRAINER_PARAM) @QueryParam("trainer") String trainer) {
        return dialect(trainer).defaults();
    }

    @GET
    @Path("/templates")
    @Operation(summary = "Named config templates, each with its trainer and dialect")
    public List<ConfigTemplate> list() {
        return templates.all();
    }

    @GET
    @Path("/templates/{name}")
    @Operation(summary = "One config template")
    public ConfigTemplate template(@PathParam("name") String name) {
        return templates.get(name);
    }

    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Validate a (partial) config for a trainer: 200 with valid=false and field errors, or the effective config")
    public ConfigValidation validate(@Parameter(description = TRAINER_PARAM) @QueryParam("trainer") String trainer, JsonNode config) {
        TrainerProgram program = program(trainer);
        try {
            return new ConfigValidation(true, ConfigMerge.effective(program, null, config, ""), List.of());
        } catch (ProblemException e) {
            return new ConfigValidation(false, null, e.errors());
        }
    }

    private ConfigDialect dialect(String trainer) {
        return program(trainer).dialect();
    }

    private TrainerProgram program(String trainer) {
        String name = trainer == null || trainer.isBlank() ? TrainerProgram.BUILTIN : trainer;
        trainers.requireKnown(name);
        return trainers.program(name);
    }
}
