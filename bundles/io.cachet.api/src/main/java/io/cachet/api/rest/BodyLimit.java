package io.cachet.api.rest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The largest request body a resource method (or every method of a resource class) accepts; a larger one is
 * refused with 413 before it is read, or as soon as it goes past the limit. Without it the limit is
 * {@link RestApi#DEFAULT_BODY_LIMIT}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface BodyLimit {

    /** Bytes. */
    int value();

    /** What fits, said to the caller after "The request body is over N KiB", e.g. "a CSR and a few names fit in far less". */
    String hint() default "";
}
