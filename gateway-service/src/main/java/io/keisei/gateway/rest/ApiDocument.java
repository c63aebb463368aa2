package io.keisei.gateway.rest;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The OpenAPI document's frame: every /api/v1 operation takes an API token as a bearer token, so
 * clients and generators know how to authenticate (title and description come from
 * application.properties).
 */
@OpenAPIDefinition(info = @Info(title = "Keisei Web UI API", version = "0.1.0"),
        security = @SecurityRequirement(name = ApiDocument.BEARER))
@SecurityScheme(securitySchemeName = ApiDocument.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "ksk_ API token",
        description = "An API token (ksk_…) from POST /api/v1/auth/tokens or the admin token printed by ./keisei up, "
                + "sent as 'Authorization: Bearer <token>'.")
public class ApiDocument extends Application {

    static final String BEARER = "bearer";
}
