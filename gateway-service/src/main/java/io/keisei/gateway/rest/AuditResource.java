package io.keisei.gateway.rest;

import io.keisei.gateway.audit.AuditLog;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Requires;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;
import java.util.List;

/** The audit log of mutating calls, for admins. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Auth")
public class AuditResource {

    private final AuditLog audit;

    public AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    @Requires(Permission.USERS_MANAGE)
    @Operation(operationId = "listAuditEntries", summary = "List the audit log",
            description = "Every POST, PUT and DELETE under /api/v1, newest first: who (token, actor, role, address), what "
                    + "(method, path), when, the status and duration; refusals of callers without a valid token are counted "
                    + "per address, path, status and minute. Needs users.manage (admin).")
    @APIResponse(responseCode = "200", description = "The entries", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = AuditLog.Entry.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    public List<AuditLog.Entry> recent(@Parameter(description = "only this actor's calls (a token's name)") @QueryParam("actor")
                                       String actor,
                                       @Parameter(description = "at most this many") @QueryParam("limit") @DefaultValue("100")
                                       @Min(1) @Max(1000) int limit) throws SQLException {
        return audit.recent(actor, limit);
    }
}
