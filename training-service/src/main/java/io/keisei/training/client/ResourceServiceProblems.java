package io.keisei.training.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.FieldError;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * resource-service's own problem (400, 403, 404, 409, 422) reaches our caller with its detail; its 5xx
 * becomes a 503 with Retry-After, as an unreachable service does.
 */
public class ResourceServiceProblems implements ResponseExceptionMapper<ProblemException> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }

    @Override
    public ProblemException toThrowable(Response r) {
        String detail = "resource-service answered " + r.getStatus();
        List<FieldError> errors = List.of();
        try {
            JsonNode p = JSON.readTree(r.readEntity(String.class));
            if (p != null && p.hasNonNull("detail")) {
                detail = p.get("detail").asText();
            }
            if (p != null) {
                errors = fieldErrors(p.path("errors"));
            }
        } catch (Exception ignored) {
            // not a problem document: the status says enough
        }
        if (r.getStatus() == 404) {
            return new ProblemException(404, "Not found", detail, null, null, null);
        }
        if (r.getStatus() == 422) {
            return ProblemException.unprocessable(detail);
        }
        if (r.getStatus() >= 500) {
            return ProblemException.unavailable(detail, 5);
        }
        if (r.getStatus() == 401) {
            // Not the caller's fault: the services disagree on KEISEI_SERVICE_TOKEN.
            return new ProblemException(502, "Bad Gateway", "resource-service refused training-service's service credential "
                    + "(KEISEI_SERVICE_TOKEN differs between the services)", null, null, null);
        }
        if (r.getStatus() == 403) {
            return new ProblemException(403, "Forbidden", detail, null, null, null); // a quota: the role may not run this
        }
        // A 400's field errors name fields of the session too (e.g. pool: an unknown pool), so the caller sees which.
        return new ProblemException(r.getStatus() == 409 ? 409 : 400, "Allocation refused", detail,
                r.getStatus() == 409 ? null : errors, null, null);
    }

    private static List<FieldError> fieldErrors(JsonNode errors) {
        List<FieldError> out = new ArrayList<>();
        for (JsonNode e : errors) {
            if (e.hasNonNull("field") && e.hasNonNull("message")) {
                out.add(new FieldError(e.get("field").asText(), e.get("message").asText()));
            }
        }
        return out;
    }
}
