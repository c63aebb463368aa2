package io.keisei.training.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.FieldError;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.config.ConfigSchema;
import io.keisei.training.ConfigTemplate;
import io.keisei.training.service.ConfigMerge;
import io.keisei.training.service.ConfigTemplates;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/** The Keisei config: schema, defaults, templates and validation. */
@Path("/config")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigResource {

    /** The answer of the validate endpoint: valid with the effective config, or the field errors. */
    public record Validation(boolean valid, ObjectNode effective, List<FieldError> errors) {
    }

    private final ConfigTemplates templates;

    public ConfigResource(ConfigTemplates templates) {
        this.templates = templates;
    }

    @GET
    @Path("/schema")
    @Operation(summary = "JSON Schema of the training config (drives the UI form)")
    public ObjectNode schema() {
        return ConfigSchema.jsonSchema();
    }

    @GET
    @Path("/defaults")
    @Operation(summary = "Keisei's default config")
    public ObjectNode defaults() {
        return templates.defaults();
    }

    @GET
    @Path("/templates")
    @Operation(summary = "Named config templates")
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
    @Operation(summary = "Validate a (partial) config: 200 with valid=false and field errors, or the effective config")
    public Validation validate(JsonNode config) {
        try {
            return new Validation(true, ConfigMerge.effective(null, config, ""), List.of());
        } catch (ProblemException e) {
            return new Validation(false, null, e.errors());
        }
    }
}
