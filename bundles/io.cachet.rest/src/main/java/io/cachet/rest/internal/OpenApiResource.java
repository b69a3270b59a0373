package io.cachet.rest.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.swagger.v3.oas.annotations.Hidden;

import io.cachet.api.rest.RestApi;

/**
 * {@code GET /api/v1/openapi.json}: the description of the resources the application holds now (a bundle that
 * adds or removes resources changes it). Public. Made once per set of resources.
 */
@Component(service = OpenApiResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/openapi.json")
@PermitAll
@Hidden
public class OpenApiResource {

    private record Cached(Set<Class<?>> classes, String json) {
    }

    private final String version;
    private final AtomicReference<Cached> cache = new AtomicReference<>();

    @Activate
    public OpenApiResource(BundleContext context) {
        this.version = context.getBundle().getVersion().toString();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@Context Application application) {
        Set<Class<?>> classes = new HashSet<>(application.getClasses());
        application.getSingletons().forEach(o -> classes.add(o.getClass()));
        Cached c = cache.get();
        if (c == null || !c.classes().equals(classes)) {
            c = new Cached(classes, OpenApiDocument.json(version, classes));
            cache.set(c);
        }
        return Response.ok(c.json(), MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-cache").build();
    }
}
