package io.keisei.gateway.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An /api/v1 GET that also answers a signed link ({@link DownloadLinks}) instead of a bearer token: a request
 * without an Authorization header but with the link's query parameters is admitted by {@link ApiSecurityFilter}
 * when the link signs the path parameter named {@link #value()}, and refused with 403 otherwise. The endpoint then
 * skips its own permission check for that target ({@link Caller#hasSignedLinkFor}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AcceptsSignedLink {
    /** The path parameter the link signs. */
    String value();
}
