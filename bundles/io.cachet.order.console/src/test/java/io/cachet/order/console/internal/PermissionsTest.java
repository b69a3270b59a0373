package io.cachet.order.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PermissionsTest {

    /** role → read, cancel, cancel as an operator, reject */
    @Test
    void eachRoleMayDoWhatTheIssueSays() {
        assertEquals(List.of(true, true, true, true), what(Set.of("admin")));
        assertEquals(List.of(true, true, true, true), what(Set.of("ra-officer")));
        assertEquals(List.of(true, true, false, false), what(Set.of("support")), "support cancels as the customer would");
        assertEquals(List.of(true, false, false, false), what(Set.of("auditor")), "auditors only read");
        assertEquals(List.of(false, false, false, false), what(Set.of("operator")), "CA work, not orders");
        assertEquals(List.of(false, false, false, false), what(Set.of("reseller")));
        assertEquals(List.of(true, true, true, true), what(Set.of("auditor", "ra-officer")));
    }

    static List<Boolean> what(Set<String> roles) {
        return List.of(Permissions.canRead(roles), Permissions.canCancel(roles), Permissions.cancelsAsOperator(roles),
                Permissions.canReject(roles));
    }
}
