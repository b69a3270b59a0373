package io.cachet.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.swagger.v3.oas.annotations.Hidden;

import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

/**
 * {@code GET /api/v1/docs}: a page to browse the OpenAPI description, for people. Public, like the description.
 * The page is a file with its script and style beside it (no inline script or style: its content security policy
 * allows this server's files only); the script reads {@code openapi.json} and lists the operations.
 */
@Component(service = DocsResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/docs")
@PermitAll
@Hidden
public class DocsResource {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static final Map<String, String> FILES = Map.of(
            "docs.js", "text/javascript;charset=UTF-8",
            "docs.css", "text/css;charset=UTF-8");

    @GET
    public Response page() {
        return file("index.html", "text/html;charset=UTF-8");
    }

    @GET
    @Path("{file}")
    public Response asset(@PathParam("file") String name) {
        String type = FILES.get(name);
        if (type == null) {
            throw ApiException.notFound("The API page has no file '" + (name.length() > 40 ? name.substring(0, 40)
                    : name) + "'.");
        }
        return file(name, type);
    }

    private static Response file(String name, String type) {
        try (InputStream in = DocsResource.class.getResourceAsStream("docs/" + name)) {
            if (in == null) {
                throw new IllegalStateException("docs/" + name + " is missing from the bundle");
            }
            return Response.ok(in.readAllBytes(), type).header("Content-Security-Policy", CSP)
                    .header("Cache-Control", "no-cache").build();
        } catch (IOException e) {
            throw new IllegalStateException("docs/" + name + " cannot be read", e);
        }
    }
}
