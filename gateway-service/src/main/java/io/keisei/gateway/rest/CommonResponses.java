package io.keisei.gateway.rest;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.TreeMap;

/**
 * The error answers no resource method decides but the layers in front of all of them do: 401 and 429
 * (auth/ApiSecurityFilter, auth/FailedAuthGate, the rate limit), 414 and, for operations with a body, 413
 * (service-common's HttpLimits). Added to every operation here, once, so that operations added later have them.
 */
final class CommonResponses {

    private CommonResponses() {
    }

    static void addTo(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        add(responses, "401", ApiDocument.UNAUTHORIZED);
        if (operation.getRequestBody() != null) {
            add(responses, "413", ApiDocument.PAYLOAD_TOO_LARGE);
        }
        add(responses, "414", ApiDocument.URI_TOO_LONG);
        add(responses, "429", ApiDocument.TOO_MANY_REQUESTS);
        // By status code, so that each operation reads in order (class-level responses would come first otherwise).
        responses.setAPIResponses(new TreeMap<>(responses.getAPIResponses()));
    }

    private static void add(APIResponses responses, String code, String name) {
        if (!responses.hasAPIResponse(code)) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().ref(name));
        }
    }
}
