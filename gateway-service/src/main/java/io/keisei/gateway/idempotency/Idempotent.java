package io.keisei.gateway.idempotency;

import jakarta.ws.rs.NameBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an operation that honours the {@code Idempotency-Key} header ({@link IdempotencyFilter}): the POSTs that create or
 * change something. Its OpenAPI operation names the header too: {@code @Parameter(ref = ApiDocument.IDEMPOTENCY_KEY)}.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Idempotent {
}
