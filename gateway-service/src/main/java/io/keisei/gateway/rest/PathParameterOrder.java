package io.keisei.gateway.rest;

import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts an operation's path parameters in the order they appear in its path, ahead of the others: the scanner sorts
 * them by name, and generated clients take them in document order, so /sessions/{id}/games/{gameId} would become
 * getSessionGame(gameId, id).
 */
final class PathParameterOrder {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}/]+)}");

    private PathParameterOrder() {
    }

    static void apply(String path, Operation operation) {
        List<Parameter> parameters = operation.getParameters();
        if (parameters == null || parameters.size() < 2) {
            return;
        }
        List<String> order = new ArrayList<>();
        Matcher m = VARIABLE.matcher(path);
        while (m.find()) {
            order.add(m.group(1));
        }
        List<Parameter> sorted = new ArrayList<>(parameters);
        // Stable: parameters other than path ones keep their order, after the path's.
        sorted.sort(Comparator.comparingInt(p -> p.getIn() == Parameter.In.PATH && order.contains(p.getName())
                ? order.indexOf(p.getName()) : order.size()));
        operation.setParameters(sorted);
    }
}
