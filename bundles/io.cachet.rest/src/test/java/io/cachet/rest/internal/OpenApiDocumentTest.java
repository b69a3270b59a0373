package io.cachet.rest.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

class OpenApiDocumentTest {

    @Schema(name = "Thing")
    public record Thing(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id, int size) {
    }

    @Path("/things")
    @Produces("application/json")
    public static class Things {
        @GET
        @Path("{id}")
        @Operation(summary = "Read a thing")
        @ApiResponse(responseCode = "200", description = "The thing")
        @ApiResponse(responseCode = "404", description = "No such thing")
        public Thing read(@PathParam("id") String id) {
            return null;
        }

        @POST
        @Consumes("application/json")
        @RolesAllowed("admin")
        public Thing make(Thing thing) {
            return thing;
        }
    }

    /** Not a resource: ignored. */
    public static class Helper {
    }

    @Test
    void theDescriptionIsMadeFromTheResourcesAnnotations() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(OpenApiDocument.json("1.2.3", List.of(Things.class, Helper.class)));
        assertEquals("3.0.3", doc.path("openapi").asText());
        assertEquals("1.2.3", doc.path("info").path("version").asText());
        assertEquals("/api/v1", doc.path("servers").path(0).path("url").asText());
        assertEquals("bearer", doc.path("components").path("securitySchemes").path("apiKey").path("scheme").asText());
        JsonNode read = doc.path("paths").path("/things/{id}").path("get");
        assertEquals("Read a thing", read.path("summary").asText());
        assertEquals("an error answer gets the problem body", "#/components/schemas/Problem", read.path("responses")
                .path("404").path("content").path("application/problem+json").path("schema").path("$ref").asText());
        assertEquals("#/components/schemas/Thing", doc.path("paths").path("/things").path("post").path("requestBody")
                .path("content").path("application/json").path("schema").path("$ref").asText());
        JsonNode thing = doc.path("components").path("schemas").path("Thing");
        assertEquals("id", thing.path("required").path(0).asText());
        assertTrue(doc.path("components").path("schemas").path("Problem").path("properties").has("error_description"));
        assertFalse(doc.path("paths").has("/helper"));
    }

    private static void assertEquals(String message, Object expected, Object actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual, message);
    }

    private static void assertEquals(Object expected, Object actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual);
    }
}
