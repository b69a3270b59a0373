package io.cachet.delivery.cloud.internal;

import java.time.Instant;
import java.util.Objects;

/**
 * A logged-in holder's session in the customer space (cookie {@value HolderAccess#SESSION_COOKIE}).
 *
 * @param id the session's id (never the cookie's secret value)
 * @param holder who is logged in
 * @param csrf the token every state-changing request of this session carries (form field {@code csrf} or header
 *        {@value HolderAccess#CSRF_HEADER})
 * @param createdAt when the holder logged in (the absolute limit counts from here)
 * @param secondFactor whether the login passed a second factor (false for a holder who has none enrolled)
 */
public record HolderSession(String id, Holder holder, String csrf, Instant createdAt, boolean secondFactor) {
    public HolderSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(csrf, "csrf");
    }
}
