package io.keisei.gateway.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission an /api/v1 endpoint needs; {@link ApiSecurityFilter} answers 403 without it.
 * Every /api/v1 endpoint needs a valid token, annotated or not; ownership of a session is checked
 * by the endpoint itself (it needs the session's owner).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Requires {
    Permission value();
}
