package io.cachet.rest.internal;

import java.security.Principal;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import io.cachet.api.operator.Authentication;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.RestApi;

/**
 * Authentication of every API request, before Jakarta REST looks for the resource: a request that carries
 * {@code Authorization: Bearer <api-key>} is authenticated here, and the caller becomes the {@link ApiCaller}
 * principal of its {@link SecurityContext}; a request without one goes on anonymous, and {@link ApiAuthorization}
 * decides whether the resource is public. A key that is not valid is a 401 whatever the path; a key of an operator
 * who must still replace a password someone else chose gets 403; while failures from the client or for the key are
 * being throttled, 429 with {@code Retry-After} (the key is not even checked).
 */
@Component(service = ContainerRequestFilter.class)
@JakartarsExtension
@JakartarsName(ApiAuthentication.NAME)
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class ApiAuthentication implements ContainerRequestFilter {

    static final String NAME = "cachet.api.authentication";
    static final String CHALLENGE = "Bearer realm=\"Cachet API\"";

    private final OperatorDirectory operators;

    @Context
    HttpServletRequest servletRequest;

    @Activate
    public ApiAuthentication(@Reference OperatorDirectory operators) {
        this.operators = operators;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString("Authorization");
        if (header == null) {
            return; // anonymous: only a public resource will answer
        }
        Optional<String> key = bearer(header);
        if (key.isEmpty()) {
            request.abortWith(unauthorized("Send your API key as 'Authorization: Bearer <api-key>'.", CHALLENGE));
            return;
        }
        Authentication result = operators.authenticateApiKey(key.get(), servletRequest.getRemoteAddr());
        switch (result.status()) {
            case GRANTED -> {
                boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
                request.setSecurityContext(new CallerContext(new ApiCaller(result.operator(), result.apiKey()),
                        secure));
            }
            case THROTTLED -> request.abortWith(Problems.response(429, "too_many_requests", result.message())
                    .header("Retry-After", Long.toString(result.retryAfter().toSeconds())).build());
            case PASSWORD_CHANGE_REQUIRED -> request.abortWith(Problems.response(403, "password_change_required",
                    result.message()).build());
            default -> request.abortWith(unauthorized(result.message(), CHALLENGE + ", error=\"invalid_token\""));
        }
    }

    static Response unauthorized(String detail, String challenge) {
        return Problems.response(401, "unauthorized", detail).header("WWW-Authenticate", challenge).build();
    }

    static Optional<String> bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** The security context of an authenticated request. */
    record CallerContext(ApiCaller caller, boolean secure) implements SecurityContext {
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
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }
}
