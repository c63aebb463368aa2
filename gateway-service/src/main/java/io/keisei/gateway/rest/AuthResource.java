package io.keisei.gateway.rest;

import io.keisei.gateway.auth.BearerTokens;
import io.keisei.gateway.auth.Principal;
import io.keisei.gateway.auth.TokenStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.sql.SQLException;

/** Who am I: the identity and role behind the bearer token. */
@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    /** The caller as the API reports it (never the token itself). */
    public record Me(String tokenId, String name, String owner, String role) {
    }

    private final TokenStore tokens;

    public AuthResource(TokenStore tokens) {
        this.tokens = tokens;
    }

    @GET
    @Path("/me")
    @Operation(summary = "The identity and role of the bearer token")
    public Me me(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) throws SQLException {
        Principal p = BearerTokens.authenticate(authorization, tokens);
        return new Me(p.tokenId(), p.name(), p.owner(), p.role().name().toLowerCase(java.util.Locale.ROOT));
    }
}
