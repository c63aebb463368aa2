package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON Schema of createSession's body (io.keisei.contracts.api.SessionRules): free-form for OpenAPI. */
@Schema(name = "SessionJsonSchema", type = SchemaType.OBJECT, additionalProperties = Schema.True.class,
        description = "A JSON Schema (draft 2020-12) of createSession's body: every field with its type, length, bounds "
                + "and pattern (with x-pattern-message, what a value that does not match is told), as the server checks them.")
public final class SessionJsonSchema {

    private SessionJsonSchema() {
    }
}
