package io.cachet.api.acceptance;

import java.time.Instant;
import java.util.Set;

import io.cachet.api.order.OrderRole;

/**
 * One person's acceptance.
 *
 * @param roles the parts this person plays (both when the Certificate Manager is also the Legal Representative)
 * @param name the person's name as on the form
 * @param maskedMobile the mobile the codes go to, masked as in the signature, e.g. {@code +33 6 •• •• •• 12}
 * @param status {@link #WAITING}, {@link #LOCKED} (too many wrong codes: a new code must be requested) or
 *        {@link #ACCEPTED}
 * @param acceptedAt when the person accepted (the time in their signature), or null
 */
public record PersonAcceptance(Set<OrderRole> roles, String name, String maskedMobile, String status,
        Instant acceptedAt) {

    public static final String WAITING = "WAITING";
    public static final String LOCKED = "LOCKED";
    public static final String ACCEPTED = "ACCEPTED";

    public PersonAcceptance {
        roles = Set.copyOf(roles);
    }

    /** @return whether this person has accepted */
    public boolean accepted() {
        return ACCEPTED.equals(status);
    }
}
