package io.cachet.delivery.cloud.internal.csc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.servers.Server;

import io.cachet.api.rest.BodyLimit;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * The CSC methods in the REST API's OpenAPI description (read by swagger-core as the REST API reads its resources:
 * server /api/v1, each CSC operation naming the server /), and the resource answering through the same protocol.
 */
class CscResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    java.nio.file.Path dir;

    @Test
    void theOpenApiDescriptionHasEveryCscMethodAtTheHostsRoot() throws Exception {
        OpenAPI base = new OpenAPI().servers(List.of(new Server().url("/api/v1")));
        OpenAPI doc = new Reader(new SwaggerConfiguration().openAPI(base)).read(Set.of(CscResource.class));
        JsonNode json = JSON.readTree(Json.mapper().writeValueAsString(doc));
        for (String m : List.of("info", "auth/login", "auth/revoke", "credentials/list", "credentials/info",
                "credentials/authorize", "signatures/signHash")) {
            JsonNode op = json.path("paths").path("/csc/v2/" + m).path("post");
            assertTrue(op.isObject(), m + " is described");
            assertEquals("/", op.path("servers").path(0).path("url").asText(), m + " is served at /csc/v2");
        }
        JsonNode signHash = json.at("/paths/~1csc~1v2~1signatures~1signHash/post");
        assertEquals("#/components/schemas/CscSignHashRequest", signHash.at("/requestBody/content/application~1json"
                + "/schema/$ref").asText());
        assertEquals("#/components/schemas/CscError", signHash.at("/responses/400/content/application~1json/schema"
                + "/$ref").asText());
        assertTrue(signHash.path("security").path(0).has("cscToken"));
        assertTrue(json.at("/paths/~1csc~1v2~1auth~1login/post/security/0").has("cscBasic"));
        assertEquals("basic", json.at("/components/securitySchemes/cscBasic/scheme").asText());
        assertTrue(json.at("/components/schemas/CscAuthorizeRequest/properties").has("hashAlgorithmOID"));
    }

    @Test
    void everyMethodIsPublicToTheRestApiAndLimitsItsBody() {
        assertTrue(CscResource.class.isAnnotationPresent(PermitAll.class), "the CSC API authenticates itself");
        assertEquals(CscApi.MAX_BODY, CscResource.class.getAnnotation(BodyLimit.class).value());
        int posts = 0;
        for (Method m : CscResource.class.getMethods()) {
            if (m.isAnnotationPresent(POST.class)) {
                posts++;
                assertTrue(m.isAnnotationPresent(Path.class));
            }
        }
        assertEquals(7, posts);
    }

    @Test
    void theResourceAnswersThroughTheProtocol() throws Exception {
        try (CscFixture f = new CscFixture("h2", dir)) {
            CscResource resource = new CscResource(f.api);
            Response info = resource.info(new byte[0], null, null);
            assertEquals(200, info.getStatus());
            assertEquals("2.0.0.2", JSON.readTree((String) info.getEntity()).get("specs").asText());
            Response list = resource.list("{}".getBytes(StandardCharsets.UTF_8), null, null);
            assertEquals(401, list.getStatus());
            assertEquals("invalid_token", JSON.readTree((String) list.getEntity()).get("error").asText());
            assertTrue(list.getHeaderString("WWW-Authenticate").startsWith("Bearer"));
        }
    }
}
