package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON Schema of a trainer's config: a JSON Schema document, free-form for OpenAPI. */
@Schema(name = "ConfigJsonSchema", type = SchemaType.OBJECT, additionalProperties = Schema.True.class,
        description = "A JSON Schema (draft 2020-12) of a trainer's config, with defaults, ranges and descriptions per field.")
public final class ConfigJsonSchema {

    private ConfigJsonSchema() {
    }
}
