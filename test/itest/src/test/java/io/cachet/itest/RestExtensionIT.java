package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The REST API on the Jakarta RESTful Web Services Whiteboard: a reseller's bundle adds a resource of its own to
 * {@code /api/v1} without touching Cachet (the example reseller bundle, dropped into DATA/deploy), gets Cachet's
 * authentication, JSON and problem answers, shows in the generated OpenAPI description, and goes when the bundle
 * goes. Also: the description and its page are public and served as files under a policy without inline scripts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RestExtensionIT {

    static final String SUPPORT = "/api/v1/example/support";

    @Inject
    BundleContext context;

    private Probe probe;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-rest-"), Map.of());
    }

    @Before
    public void ready() {
        probe = new Probe(context);
        probe.healthy();
    }

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst().orElse(null);
    }

    private boolean described(String path) {
        return Probe.json(probe.get("/api/v1/openapi.json")).path("paths").has(path);
    }

    @Test
    public void aResellersBundleAddsAResourceWhileRunningAndTakesItAway() throws Exception {
        String key = "Bearer " + probe.adminApiKey();
        assertEquals(404, probe.get(SUPPORT, "Authorization", key).statusCode());
        assertFalse(described("/example/support"));

        Path jar = probe.data().resolve("deploy").resolve("io.cachet.brand.example.jar");
        Files.copy(Path.of(System.getProperty("cachet.itest.samples"), "io.cachet.brand.example.jar"), jar,
                StandardCopyOption.REPLACE_EXISTING);
        Probe.await("the reseller's resource served", () -> probe.get(SUPPORT, "Authorization", key).statusCode() == 200);

        HttpResponse<String> r = probe.get(SUPPORT, "Authorization", key);
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = Probe.json(r);
        assertEquals("Example Trust Services", body.path("reseller").asText());
        assertEquals("admin", body.path("askedBy").asText());
        // Cachet's authentication applies to it, with Cachet's problem answer
        HttpResponse<String> anonymous = probe.get(SUPPORT);
        assertEquals(401, anonymous.statusCode());
        assertEquals("application/problem+json", anonymous.headers().firstValue("Content-Type").orElse(""));
        assertEquals("unauthorized", Probe.json(anonymous).path("error").asText());
        // and the generated description lists it, with the problem body for its 401
        JsonNode doc = Probe.json(probe.get("/api/v1/openapi.json"));
        JsonNode op = doc.path("paths").path("/example/support").path("get");
        assertEquals("The example reseller's support desk", op.path("summary").asText());
        assertEquals("#/components/schemas/Problem", op.path("responses").path("401").path("content")
                .path("application/problem+json").path("schema").path("$ref").asText());
        assertTrue("Cachet's own resources still there", doc.path("paths").has("/certificates"));
        // the rest of the API is still served (the application was rebuilt with the new resource)
        assertEquals(200, probe.get("/api/v1/operators/me/api-keys", "Authorization", key).statusCode());

        Files.delete(jar);
        Probe.await("the reseller's bundle uninstalled", () -> bundle("io.cachet.brand.example") == null);
        Probe.await("the reseller's resource gone", () -> probe.get(SUPPORT, "Authorization", key).statusCode() == 404);
        assertFalse(described("/example/support"));
        assertEquals(200, probe.get("/api/v1/operators/me/api-keys", "Authorization", key).statusCode());
    }

    @Test
    public void theDescriptionAndItsPageArePublicAndScriptsAreFiles() {
        HttpResponse<String> page = probe.get("/api/v1/docs");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp, csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
        assertTrue(page.body().contains("<script src=\"docs/docs.js\""));
        assertFalse("no inline script", page.body().matches("(?s).*<script>.*"));
        HttpResponse<String> script = probe.get("/api/v1/docs/docs.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("openapi.json"));
        assertEquals(200, probe.get("/api/v1/docs/docs.css").statusCode());
        assertEquals("only the page's own files", 404, probe.get("/api/v1/docs/index.js").statusCode());

        JsonNode doc = Probe.json(probe.get("/api/v1/openapi.json"));
        assertEquals("3.0.3", doc.path("openapi").asText());
        assertEquals("/api/v1", doc.path("servers").path(0).path("url").asText());
        assertTrue(doc.path("components").path("schemas").has("Problem"));
        assertTrue(doc.path("paths").has("/operators/me/api-keys/{id}/rotation"));
        assertFalse("the description does not describe itself", doc.path("paths").has("/openapi.json"));
    }
}
