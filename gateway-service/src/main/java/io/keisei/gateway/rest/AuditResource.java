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
    @Operation(summary = "Mutating calls, newest first: who, what, when, result (actor= filters)")
    public List<AuditLog.Entry> recent(@QueryParam("actor") String actor,
                                       @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) throws SQLException {
        return audit.recent(actor, limit);
    }
}
