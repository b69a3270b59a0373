package io.cachet.api.operator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** An operator may do what any one of its roles allows. */
class OperatorTest {

    private final Operator op = new Operator("alice", Set.of("operator", "auditor"), false);

    @Test
    void anyOneRoleIsEnough() {
        assertTrue(op.hasAnyRole(Set.of("admin", "auditor")));
        assertTrue(op.hasAnyRole(List.of("operator")));
    }

    @Test
    void noneOfTheRolesIsNotEnough() {
        assertFalse(op.hasAnyRole(Set.of("admin")));
        assertFalse(new Operator("bob", Set.of(), false).hasAnyRole(Set.of("admin")));
    }

    @Test
    void noRolesAreNeverEnough() {
        assertFalse(op.hasAnyRole(Set.of()));
    }
}
