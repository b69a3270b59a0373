package io.cachet.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.Operator;
import io.cachet.api.rest.ApiCaller;

class ApiAuthorizationTest {

    @RolesAllowed("admin")
    static class AdminOnly {
        public void change() {
        }

        @RolesAllowed({ "admin", "operator" })
        public void work() {
        }

        @PermitAll
        public void open() {
        }

        @DenyAll
        public void never() {
        }
    }

    @PermitAll
    static class Public {
        public void read() {
        }

        @RolesAllowed("auditor")
        public void audit() {
        }
    }

    static class Plain {
        public void any() {
        }
    }

    private static Method m(Class<?> type, String name) throws NoSuchMethodException {
        return type.getMethod(name);
    }

    private static ApiCaller caller(ApiKeyScope scope, String... roles) {
        return new ApiCaller(new Operator("alice", scope.limit(Set.of(roles)), false),
                new ApiKey("k1", "alice", null, scope, Instant.EPOCH, null, null, null));
    }

    @Test
    void permitAllIsPublicUnlessTheMethodAsksForRoles() throws Exception {
        assertTrue(ApiAuthorization.isPublic(m(Public.class, "read"), Public.class));
        assertFalse(ApiAuthorization.isPublic(m(Public.class, "audit"), Public.class));
        assertTrue(ApiAuthorization.isPublic(m(AdminOnly.class, "open"), AdminOnly.class));
        assertFalse(ApiAuthorization.isPublic(m(AdminOnly.class, "change"), AdminOnly.class));
        assertFalse(ApiAuthorization.isPublic(m(AdminOnly.class, "never"), AdminOnly.class));
        assertFalse(ApiAuthorization.isPublic(m(Plain.class, "any"), Plain.class), "no annotation: a key is needed");
    }

    @Test
    void rolesComeFromTheMethodElseTheClassAndTheKeyScopeCutsThem() throws Exception {
        ApiCaller admin = caller(ApiKeyScope.ADMIN, "admin");
        ApiCaller adminWithOperatorKey = caller(ApiKeyScope.OPERATOR, "admin", "operator");
        ApiCaller reader = caller(ApiKeyScope.READ, "admin");
        assertNull(ApiAuthorization.refusal(admin, "POST", m(AdminOnly.class, "change"), AdminOnly.class));
        String refused = ApiAuthorization.refusal(adminWithOperatorKey, "POST", m(AdminOnly.class, "change"),
                AdminOnly.class);
        assertEquals("POST here needs the role admin; the key of 'alice' (scope operator) does not carry it.", refused);
        assertNull(ApiAuthorization.refusal(adminWithOperatorKey, "POST", m(AdminOnly.class, "work"), AdminOnly.class));
        assertTrue(ApiAuthorization.refusal(reader, "POST", m(AdminOnly.class, "work"), AdminOnly.class)
                .contains("admin or operator"));
        assertTrue(ApiAuthorization.refusal(admin, "GET", m(AdminOnly.class, "never"), AdminOnly.class)
                .startsWith("Nobody"));
        assertNull(ApiAuthorization.refusal(reader, "GET", m(Plain.class, "any"), Plain.class));
    }

    @Test
    void onlyABearerHeaderCarriesAKey() {
        assertEquals(Optional.of("ck_1"), ApiAuthentication.bearer("Bearer ck_1"));
        assertEquals(Optional.of("ck_1"), ApiAuthentication.bearer("bearer   ck_1 "));
        assertEquals(Optional.empty(), ApiAuthentication.bearer("Basic YTpi"));
        assertEquals(Optional.empty(), ApiAuthentication.bearer("Bearer "));
        assertEquals(Optional.empty(), ApiAuthentication.bearer(null));
    }
}
