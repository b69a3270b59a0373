package io.cachet.rest.internal;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Arrays;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;

import jakarta.annotation.Priority;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;

import io.cachet.api.operator.Authentication;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

/**
 * Authentication and authorisation of every API request. A resource method (or its class) marked
 * {@link PermitAll} is public; every other one needs {@code Authorization: Bearer <api-key>}, and
 * {@link RolesAllowed} names the roles of which the caller needs one ({@link DenyAll}: nobody). The caller is the
 * {@link ApiCaller} principal of the request's {@link SecurityContext}. A key of an operator who must still replace
 * a password someone else chose gets 403; while failures from the client or for the key are being throttled, 429
 * with {@code Retry-After} (the key is not even checked).
 */
@Component(service = ContainerRequestFilter.class)
@JakartarsExtension
@JakartarsName("cachet.api.authentication")
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Priority(Priorities.AUTHENTICATION)
public class ApiAuthentication implements ContainerRequestFilter {

    static final String CHALLENGE = "Bearer realm=\"Cachet API\"";

    private final OperatorDirectory operators;

    @Context
    ResourceInfo resource;

    @Context
    HttpServletRequest servletRequest;

    @Activate
    public ApiAuthentication(@Reference OperatorDirectory operators) {
        this.operators = operators;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        if (isPublic(method, type)) {
            return;
        }
        Optional<String> key = bearer(request.getHeaderString("Authorization"));
        if (key.isEmpty()) {
            request.abortWith(Problems.response(401, "unauthorized",
                    "Send your API key as 'Authorization: Bearer <api-key>'.").header("WWW-Authenticate", CHALLENGE)
                    .build());
            return;
        }
        Authentication result = operators.authenticateApiKey(key.get(), servletRequest.getRemoteAddr());
        switch (result.status()) {
            case GRANTED -> {
                ApiCaller caller = new ApiCaller(result.operator(), result.apiKey());
                boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
                request.setSecurityContext(new CallerContext(caller, secure));
                String refusal = refusal(caller, request.getMethod(), method, type);
                if (refusal != null) {
                    throw ApiException.forbidden(refusal);
                }
            }
            case THROTTLED -> request.abortWith(Problems.response(429, "too_many_requests", result.message())
                    .header("Retry-After", Long.toString(result.retryAfter().toSeconds())).build());
            case PASSWORD_CHANGE_REQUIRED -> request.abortWith(Problems.response(403, "password_change_required",
                    result.message()).build());
            default -> request.abortWith(Problems.response(401, "unauthorized", result.message())
                    .header("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"").build());
        }
    }

    static boolean isPublic(Method method, Class<?> type) {
        if (method != null && (method.isAnnotationPresent(RolesAllowed.class) || method.isAnnotationPresent(DenyAll.class))) {
            return false;
        }
        return method != null && method.isAnnotationPresent(PermitAll.class)
                || type != null && type.isAnnotationPresent(PermitAll.class)
                        && (method == null || !method.isAnnotationPresent(RolesAllowed.class));
    }

    /** Why {@code caller} may not call the method, or null when it may. */
    static String refusal(ApiCaller caller, String httpMethod, Method method, Class<?> type) {
        if (method != null && method.isAnnotationPresent(DenyAll.class)) {
            return "Nobody may call this resource.";
        }
        RolesAllowed roles = method != null && method.isAnnotationPresent(RolesAllowed.class)
                ? method.getAnnotation(RolesAllowed.class)
                : type == null ? null : type.getAnnotation(RolesAllowed.class);
        if (roles == null || Arrays.stream(roles.value()).anyMatch(caller.operator()::hasRole)) {
            return null;
        }
        return httpMethod + " here needs the role " + String.join(" or ", roles.value()) + "; the key of '"
                + caller.getName() + "' (scope " + caller.apiKey().scope().id() + ") does not carry it.";
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
