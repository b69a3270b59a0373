package io.cachet.rest.internal;

import java.lang.reflect.Method;
import java.util.Arrays;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;

import jakarta.annotation.Priority;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;

import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

/**
 * Authorisation of every API request, once Jakarta REST knows the resource method: a method (or its class) marked
 * {@link PermitAll} is public; every other one needs the caller {@link ApiAuthentication} found (else 401), and
 * {@link RolesAllowed} names the roles of which the caller needs one (else 403; {@link DenyAll}: nobody).
 * No annotation: any authenticated operator.
 */
@Component(service = ContainerRequestFilter.class)
@JakartarsExtension
@JakartarsName(ApiAuthorization.NAME)
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Priority(Priorities.AUTHORIZATION)
public class ApiAuthorization implements ContainerRequestFilter {

    static final String NAME = "cachet.api.authorization";

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        if (isPublic(method, type)) {
            return;
        }
        if (!(request.getSecurityContext() != null
                && request.getSecurityContext().getUserPrincipal() instanceof ApiCaller caller)) {
            request.abortWith(ApiAuthentication.unauthorized("Send your API key as 'Authorization: Bearer <api-key>'.",
                    ApiAuthentication.CHALLENGE));
            return;
        }
        String refusal = refusal(caller, request.getMethod(), method, type);
        if (refusal != null) {
            throw ApiException.forbidden(refusal);
        }
    }

    static boolean isPublic(Method method, Class<?> type) {
        if (method != null && (method.isAnnotationPresent(RolesAllowed.class)
                || method.isAnnotationPresent(DenyAll.class))) {
            return false;
        }
        return method != null && method.isAnnotationPresent(PermitAll.class)
                || type != null && type.isAnnotationPresent(PermitAll.class);
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
}
