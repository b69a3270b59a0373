package io.cachet.order.console.internal;

import java.util.Set;

import io.cachet.api.rest.RestApi;

/**
 * Who may do what on the order pages: administrators and RA officers read, cancel and reject; support reads and
 * cancels on the customer's request (as the customer could: before issuance); auditors only read.
 */
final class Permissions {

    /** The roles that open the order pages. */
    static final Set<String> READERS = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT,
            RestApi.ROLE_AUDITOR);

    private Permissions() {
    }

    static boolean canRead(Set<String> roles) {
        return READERS.stream().anyMatch(roles::contains);
    }

    /** Whether the operator cancels as an operator (at any open state). */
    static boolean cancelsAsOperator(Set<String> roles) {
        return roles.contains(RestApi.ROLE_ADMIN) || roles.contains(RestApi.ROLE_RA_OFFICER);
    }

    static boolean canCancel(Set<String> roles) {
        return cancelsAsOperator(roles) || roles.contains(RestApi.ROLE_SUPPORT);
    }

    static boolean canReject(Set<String> roles) {
        return roles.contains(RestApi.ROLE_ADMIN) || roles.contains(RestApi.ROLE_RA_OFFICER);
    }
}
