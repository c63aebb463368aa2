package io.keisei.training.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.common.rest.ProblemException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

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
        try {
            JsonNode p = JSON.readTree(r.readEntity(String.class));
            if (p != null && p.hasNonNull("detail")) {
                detail = p.get("detail").asText();
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
        return new ProblemException(r.getStatus() == 409 ? 409 : 400, "Allocation refused", detail, null, null, null);
    }
}
