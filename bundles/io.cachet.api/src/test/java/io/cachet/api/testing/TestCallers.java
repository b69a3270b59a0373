package io.cachet.api.testing;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;

import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.Operator;
import io.cachet.api.rest.ApiCaller;

import jakarta.ws.rs.core.SecurityContext;

/** An authenticated API caller as the REST filter hands it to a resource, for the modules' resource tests. */
public final class TestCallers {

    private TestCallers() {
    }

    /** The security context of a request made with an operator key of {@code login}, who holds {@code roles}. */
    public static SecurityContext as(String login, String... roles) {
        ApiCaller caller = new ApiCaller(new Operator(login, Set.of(roles), false), new ApiKey("k-" + login, login,
                "test", ApiKeyScope.OPERATOR, Instant.now(), null, null, null));
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller;
            }

            @Override
            public boolean isUserInRole(String role) {
                return caller.operator().hasRole(role);
            }

            @Override
            public boolean isSecure() {
                return false;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        };
    }
}
