package io.cachet.api.operator;

import java.util.Collection;
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

    /**
     * Whether the operator holds at least one of {@code roles}: what a page or an action open to several roles checks.
     *
     * @param roles the roles of which the operator needs one; none (empty) is never enough
     * @since 1.4
     */
    public boolean hasAnyRole(Collection<String> roles) {
        return roles.stream().anyMatch(this.roles::contains);
    }
}
