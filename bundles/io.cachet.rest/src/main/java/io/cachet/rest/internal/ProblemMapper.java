package io.cachet.rest.internal;

import java.util.UUID;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;

import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

/**
 * Every failure of the API as an RFC 9457 problem ({@link Problems}): an {@link ApiException} as it says, what
 * Jakarta REST itself refuses (no such path, method, media type) with a sentence saying what to do, and anything
 * else as a 500 whose reference is logged with the full trace — the caller never sees internals.
 */
@Component(service = ExceptionMapper.class)
@JakartarsExtension
@JakartarsName(ProblemMapper.NAME)
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
public class ProblemMapper implements ExceptionMapper<Throwable> {

    static final String NAME = "cachet.api.problems";

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    @Context
    UriInfo uri;

    @Context
    SecurityContext security;

    @Override
    public Response toResponse(Throwable e) {
        ApiException api = ApiException.class.isInstance(e) ? (ApiException) e : cause(e);
        if (api != null) {
            return Problems.response(api.status(), api.error(), api.getMessage(), api.extensions()).build();
        }
        if ((e instanceof NotFoundException || e instanceof NotAllowedException) && anonymous()) {
            // as before the whiteboard: a stranger learns nothing about which paths and methods exist
            return ApiAuthentication.unauthorized("Send your API key as 'Authorization: Bearer <api-key>'.",
                    ApiAuthentication.CHALLENGE);
        }
        if (e instanceof NotFoundException) {
            return Problems.response(404, "not_found", "No API resource at " + RestApi.BASE_PATH + "/" + path()
                    + ". The resources are listed in " + RestApi.BASE_PATH + "/openapi.json.").build();
        }
        if (e instanceof NotAllowedException n) {
            String allow = String.join(", ", n.getResponse().getAllowedMethods());
            return Problems.response(405, "method_not_allowed", "This resource answers " + allow + " only.")
                    .header("Allow", allow).build();
        }
        if (e instanceof NotSupportedException) {
            return Problems.response(415, "unsupported_media_type",
                    "Send the request body as 'Content-Type: application/json'.").build();
        }
        if (e instanceof NotAcceptableException) {
            return Problems.response(406, "not_acceptable", "This resource answers application/json; accept it.")
                    .build();
        }
        int refused = containerRefusal(e);
        if (refused >= 400 && refused < 500) {
            return Problems.response(refused, Problems.code(refused), refused == 408
                    ? "The request body arrived too slowly; send it again at a steady pace." : describe(refused)).build();
        }
        if (e instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
            int status = w.getResponse().getStatus();
            return Problems.response(status, Problems.code(status), describe(status)).build();
        }
        String reference = UUID.randomUUID().toString();
        LOG.error("REST request failed, reference {}", reference, e);
        return Problems.response(500, "internal_error",
                "The request could not be completed. Quote reference " + reference + " to the operator.").build();
    }

    private boolean anonymous() {
        try {
            return security == null || !(security.getUserPrincipal() instanceof ApiCaller);
        } catch (RuntimeException outsideARequest) {
            return false;
        }
    }

    private String path() {
        try {
            String p = uri == null ? "" : uri.getPath();
            p = p.startsWith("/") ? p.substring(1) : p;
            return p.length() > 100 ? p.substring(0, 100) + "…" : p;
        } catch (RuntimeException outsideARequest) {
            return "";
        }
    }

    private static String describe(int status) {
        return switch (status) {
            case 400 -> "The request is malformed; check its parameters and body.";
            case 401 -> "Send your API key as 'Authorization: Bearer <api-key>'.";
            case 403 -> "You may not do this.";
            default -> "The request was refused.";
        };
    }

    /**
     * The status of the servlet container's own refusal of the request (Jetty's {@code BadMessageException}: a body
     * below the minimum data rate, a malformed chunk), met while reading the body; 0 if there is none. Found by
     * name, so that this bundle does not depend on the container's classes for one status code.
     */
    static int containerRefusal(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getClass().getName().equals("org.eclipse.jetty.http.BadMessageException")) {
                try {
                    return (Integer) t.getClass().getMethod("getCode").invoke(t);
                } catch (ReflectiveOperationException | RuntimeException unreadable) {
                    return 400;
                }
            }
        }
        return 0;
    }

    /** An {@link ApiException} a library wrapped (a JSON reader, a stream). */
    static ApiException cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException a) {
                return a;
            }
            if (t instanceof LimitedInputStream.TooLarge tooLarge) {
                return tooLarge.problem();
            }
        }
        return null;
    }
}
