package io.keisei.gateway.rest;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The answers an operation that takes an Idempotency-Key can give because of it (those whose method is
 * {@code @Idempotent} and names the header with {@code @Parameter(ref = ApiDocument.IDEMPOTENCY_KEY)}): 422 for a key
 * reused with another request, 409 for a key whose first request is still running (merged with the operation's own
 * state conflict where it has one).
 */
final class IdempotentOperations {

    private static final String RESPONSES = "#/components/responses/";

    private IdempotentOperations() {
    }

    static void addTo(Operation operation) {
        if (!takesKey(operation)) {
            return;
        }
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        APIResponse conflict = responses.getAPIResponse("409");
        if (conflict == null) {
            responses.addAPIResponse("409", OASFactory.createAPIResponse().ref(ApiDocument.KEY_IN_PROGRESS));
        } else if ((RESPONSES + ApiDocument.CONFLICT).equals(conflict.getRef())) {
            responses.addAPIResponse("409", OASFactory.createAPIResponse().ref(ApiDocument.CONFLICT_OR_KEY_IN_PROGRESS));
        }
        if (!responses.hasAPIResponse("422")) {
            responses.addAPIResponse("422", OASFactory.createAPIResponse().ref(ApiDocument.KEY_REUSED));
        }
    }

    static boolean takesKey(Operation operation) {
        if (operation.getParameters() == null) {
            return false;
        }
        for (Parameter p : operation.getParameters()) {
            if (p.getRef() != null && p.getRef().endsWith("/" + ApiDocument.IDEMPOTENCY_KEY)) {
                return true;
            }
        }
        return false;
    }
}
