package io.cachet.api.operator;

import java.util.Set;

/**
 * An authenticated operator.
 *
 * @param login the login
 * @param roles what the operator may do ({@code admin}, {@code operator}, {@code auditor})
 * @param mustChangePassword true until the operator replaced a password someone else chose
 */
public record Operator(String login, Set<String> roles, boolean mustChangePassword) {
    public Operator {
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
