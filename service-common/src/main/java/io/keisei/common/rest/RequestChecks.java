package io.keisei.common.rest;

import io.keisei.contracts.api.FieldError;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks every request's parameters before a resource sees them: no control characters anywhere
 * (PostgreSQL refuses NUL in text, logs and audit rows must stay readable), and numbers where a
 * method declares a number. JAX-RS answers a query parameter it cannot convert with 404, which tells
 * a client nothing; here it is a 400 naming the parameter.
 */
public class RequestChecks {

    /** The numeric parameters of a resource method, found once per method. */
    private record NumericParam(String name, boolean query, boolean integral, long min, long max) {
    }

    private final Map<Method, List<NumericParam>> numericParams = new ConcurrentHashMap<>();

    @ServerRequestFilter(priority = Priorities.USER)
    public void check(ContainerRequestContext ctx, ResourceInfo resource) {
        MultivaluedMap<String, String> query = ctx.getUriInfo().getQueryParameters();
        MultivaluedMap<String, String> path = ctx.getUriInfo().getPathParameters();
        List<FieldError> errors = new ArrayList<>();
        controlCharacters(query, errors);
        controlCharacters(path, errors);
        if (errors.isEmpty() && resource != null && resource.getResourceMethod() != null) {
            for (NumericParam p : numericParams.computeIfAbsent(resource.getResourceMethod(), RequestChecks::numericParamsOf)) {
                List<String> values = (p.query() ? query : path).get(p.name());
                if (values != null) {
                    for (String v : values) {
                        if (!isNumber(v, p)) {
                            errors.add(new FieldError(p.name(), p.integral()
                                    ? "must be an integer between " + p.min() + " and " + p.max() : "must be a number"));
                            break;
                        }
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
    }

    private static void controlCharacters(MultivaluedMap<String, String> params, List<FieldError> errors) {
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            if (hasControl(name)) {
                errors.add(new FieldError("query", "a parameter name contains control characters"));
                continue;
            }
            for (String v : e.getValue()) {
                if (hasControl(v)) {
                    errors.add(new FieldError(name, "must not contain control characters"));
                    break;
                }
            }
        }
    }

    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNumber(String v, NumericParam p) {
        try {
            if (p.integral()) {
                long n = Long.parseLong(v.strip());
                return n >= p.min() && n <= p.max();
            }
            Double.parseDouble(v.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<NumericParam> numericParamsOf(Method m) {
        List<NumericParam> list = new ArrayList<>();
        for (Parameter param : m.getParameters()) {
            String name = null;
            boolean query = false;
            for (Annotation a : param.getAnnotations()) {
                if (a instanceof QueryParam q) {
                    name = q.value();
                    query = true;
                } else if (a instanceof RestQuery q) {
                    name = q.value().isEmpty() ? param.getName() : q.value();
                    query = true;
                } else if (a instanceof PathParam q) {
                    name = q.value();
                } else if (a instanceof RestPath q) {
                    name = q.value().isEmpty() ? param.getName() : q.value();
                }
            }
            Class<?> t = param.getType();
            if (name == null) {
                continue;
            }
            if (t == int.class || t == Integer.class) {
                list.add(new NumericParam(name, query, true, Integer.MIN_VALUE, Integer.MAX_VALUE));
            } else if (t == long.class || t == Long.class) {
                list.add(new NumericParam(name, query, true, Long.MIN_VALUE, Long.MAX_VALUE));
            } else if (t == short.class || t == Short.class) {
                list.add(new NumericParam(name, query, true, Short.MIN_VALUE, Short.MAX_VALUE));
            } else if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
                list.add(new NumericParam(name, query, false, 0, 0));
            }
        }
        return List.copyOf(list);
    }
}
