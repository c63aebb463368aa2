package io.keisei.gateway.rest;

import io.keisei.common.rest.Problem;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.FieldError;
import io.keisei.gateway.PathSegments;
import io.keisei.gateway.auth.Caller;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Principal;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.auth.Role;
import io.keisei.gateway.auth.TokenRevocations;
import io.keisei.gateway.auth.TokenStore;
import io.keisei.gateway.idempotency.Idempotent;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** API tokens: who am I, create (admins), list (own, or all for admins), revoke. */
@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Auth")
public class AuthResource {

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} _.:@-]{1,100}");
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

    /** The caller as the API reports it (never the token itself). */
    @Schema(name = "Identity", description = "The bearer token's identity: its id and name, the owner id of what it "
            + "creates, its role and the role's permissions.")
    public record Me(String tokenId, String name, String owner, Role role, Set<Permission> permissions) {
    }

    /** Body of POST /api/v1/auth/tokens; {@code owner} defaults to the name with other characters made dashes. */
    @Schema(name = "NewToken", description = "A token to create.")
    public record NewToken(@Schema(required = true, maxLength = 100, description = "1-100 letters, digits, spaces and _ . : @ -")
                           String name,
                           @Schema(required = true, ref = "Role") String role,
                           @Schema(maxLength = 64, description = "the owner id of what the token creates (default: the name "
                                   + "with other characters made dashes)") String owner) {
    }

    private final TokenStore tokens;
    private final TokenRevocations revocations;
    private final Caller caller;

    public AuthResource(TokenStore tokens, TokenRevocations revocations, Caller caller) {
        this.tokens = tokens;
        this.revocations = revocations;
        this.caller = caller;
    }

    @GET
    @Path("/me")
    @Operation(operationId = "getCurrentIdentity", summary = "Who am I",
            description = "The identity, role and permissions of the bearer token. Any valid token.")
    @APIResponse(responseCode = "200", description = "The caller",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Me.class)))
    public Me me() {
        Principal p = caller.get();
        return new Me(p.tokenId(), p.name(), p.owner(), p.role(), p.role().permissions());
    }

    @POST
    @Path("/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.USERS_MANAGE)
    @Idempotent
    @Parameter(ref = ApiDocument.IDEMPOTENCY_KEY)
    @Operation(operationId = "createToken", summary = "Create an API token",
            description = "A new API token with a role (admin, trainer, researcher, viewer); its secret is in this answer only. "
                    + "Needs users.manage (admin).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NewToken.class)))
    @APIResponse(responseCode = "201", description = "Created; token is the secret to send as a bearer token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TokenStore.CreatedToken.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    public Response create(NewToken body) throws SQLException {
        List<FieldError> errors = new ArrayList<>();
        if (body == null) {
            errors.add(new FieldError("body", "must be {\"name\": ..., \"role\": \"trainer\"}"));
        } else {
            if (body.name() == null || !NAME.matcher(body.name()).matches()) {
                errors.add(new FieldError("name", "1-100 letters, digits, spaces and _ . : @ -"));
            }
            if (Role.parse(body.role()).isEmpty()) {
                errors.add(new FieldError("role", "must be admin, trainer, researcher or viewer"));
            }
            String owner = body.owner() == null ? ownerFrom(body.name()) : body.owner();
            if (owner == null || !OWNER.matcher(owner).matches()) {
                errors.add(new FieldError("owner", "1-64 letters, digits and _ . @ - (defaults to the name)"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "invalid token request", errors, null, null);
        }
        String owner = body.owner() == null ? ownerFrom(body.name()) : body.owner();
        var created = tokens.create(body.name(), owner, Role.parse(body.role()).orElseThrow(), caller.get().name());
        return Response.status(201).entity(created).build();
    }

    /** "e2e viewer" → "e2e-viewer": a name's default owner id. */
    static String ownerFrom(String name) {
        if (name == null) {
            return null;
        }
        String o = name.strip().replaceAll("[^A-Za-z0-9_.@-]+", "-");
        return o.length() > 64 ? o.substring(0, 64) : o;
    }

    @GET
    @Path("/tokens")
    @Operation(operationId = "listTokens", summary = "List API tokens",
            description = "Tokens, never their secrets: an admin sees everyone's, others their own. Any valid token.")
    @APIResponse(responseCode = "200", description = "The tokens", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = TokenStore.TokenInfo.class)))
    public List<TokenStore.TokenInfo> list() throws SQLException {
        Principal p = caller.get();
        return tokens.list(p.has(Permission.USERS_MANAGE) ? null : p.owner());
    }

    @DELETE
    // A 204 or a problem: generated clients ask an operation without a success body for its error type only
    // (Accept: application/problem+json), which the class's @Produces(application/json) alone would refuse with 406.
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Path("/tokens/{id}")
    @Operation(operationId = "revokeToken", summary = "Revoke an API token",
            description = "Revokes a token: from the answer on, this replica refuses it (401) and the others within a "
                    + "second, and live-hub connections authenticated with it are closed (1008). Admins revoke any token, "
                    + "others their own. Any valid token.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response revoke(@Parameter(description = "the token's id (not its secret)") @PathParam("id") String id)
            throws SQLException {
        Principal p = caller.get();
        TokenStore.TokenInfo t = tokens.get(PathSegments.id("id", id))
                .orElseThrow(() -> new ProblemException(404, "Not Found", "no token '" + id + "'", null, null, null));
        if (!p.has(Permission.USERS_MANAGE) && !t.owner().equals(p.owner())) {
            throw new ProblemException(403, "Forbidden", "only admins revoke other people's tokens", null, null, null);
        }
        tokens.revoke(id); // committed on return
        revocations.revoked(id);
        return Response.noContent().build();
    }
}
