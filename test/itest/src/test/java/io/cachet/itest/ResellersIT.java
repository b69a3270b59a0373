package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.reseller.Resellers;

/**
 * Resellers in the distribution: an administrator creates one over REST (its first key shown once) and in the
 * console; the reseller's API-only account works with its key, rotates it itself, is refused on operator endpoints,
 * and is shut out when disabled; one reseller never sees nor cancels another's order.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ResellersIT {

    private static final Pattern TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern SECRET = Pattern.compile("<code id=\"secret\">([^<]+)</code>");

    @Inject
    BundleContext context;

    @Inject
    AuditLog audit;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-resellers-"), Map.of());
    }

    @Before
    public void ready() {
        new Probe(context).healthy();
    }

    /** Looked up once the server is up (an injected service is waited for 10 s only, shorter than a first start). */
    private Resellers resellers() {
        Probe.await("the Resellers service", () -> context.getServiceReference(Resellers.class) != null);
        return context.getService(context.getServiceReference(Resellers.class));
    }

    private static String[] bearer(String key, String... more) {
        String[] h = new String[2 + more.length];
        h[0] = "Authorization";
        h[1] = "Bearer " + key;
        System.arraycopy(more, 0, h, 2, more.length);
        return h;
    }

    private static String[] json(String key) {
        return bearer(key, "Content-Type", "application/json");
    }

    /** Creates a reseller over REST; returns its answer. */
    private JsonNode create(Probe probe, String admin, String name) {
        Probe.await("the resellers resource served", () -> probe.get("/api/v1/resellers", bearer(admin)).statusCode() == 200);
        HttpResponse<String> r = probe.post("/api/v1/resellers", "{\"name\":\"" + name + "\"}", json(admin));
        assertEquals(r.body(), 201, r.statusCode());
        JsonNode created = Probe.json(r);
        assertEquals("/api/v1/resellers/" + created.path("id").asText(),
                r.headers().firstValue("Location").orElse("").replaceFirst("^https?://[^/]+", ""));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        return created;
    }

    @Test
    public void aResellersKeyWorksRotatesIsRefusedOnOperatorEndpointsAndStopsWhenDisabled() throws Exception {
        Probe probe = new Probe(context);
        String admin = probe.adminApiKey();
        JsonNode created = create(probe, admin, "ACME Distribution");
        String id = created.path("id").asText();
        String key = created.path("apiKey").asText();
        assertTrue(key, key.startsWith("ck_"));
        assertEquals("rsl-" + id.substring(4), created.path("login").asText());

        // its key works (its own keys; nothing to change a password on)
        HttpResponse<String> own = probe.get("/api/v1/operators/me/api-keys", bearer(key));
        assertEquals(own.body(), 200, own.statusCode());
        JsonNode keys = Probe.json(own).path("keys");
        assertEquals(1, keys.size());
        assertEquals("operator", keys.get(0).path("scope").asText());

        // a reseller's key on operator endpoints: 403
        assertEquals(403, probe.get("/api/v1/resellers", bearer(key)).statusCode());
        assertEquals(403, probe.post("/api/v1/resellers", "{\"name\":\"Mine\"}", json(key)).statusCode());
        assertEquals(403, probe.get("/api/v1/outbox", bearer(key)).statusCode());
        assertEquals(403, probe.post("/api/v1/certificates", "{}", json(key)).statusCode());
        assertEquals(403, probe.post("/api/v1/operators/me/api-keys", "{\"scope\":\"admin\"}", json(key)).statusCode());
        // and no password opens its account
        assertEquals(401, probe.get("/console/resellers", "Authorization",
                Probe.basic(created.path("login").asText(), key)).statusCode());

        // the reseller rotates its own key: the old one is refused at once
        String keyId = keys.get(0).path("id").asText();
        HttpResponse<String> rotated = probe.post("/api/v1/operators/me/api-keys/" + keyId + "/rotation", "", bearer(key));
        assertEquals(rotated.body(), 200, rotated.statusCode());
        String newKey = Probe.json(rotated).path("key").asText();
        assertEquals(401, probe.get("/api/v1/operators/me/api-keys", bearer(key)).statusCode());
        assertEquals(200, probe.get("/api/v1/operators/me/api-keys", bearer(newKey)).statusCode());

        // the administrator reads it with its keys, makes a read key for it, revokes it
        JsonNode read = Probe.json(probe.get("/api/v1/resellers/" + id, bearer(admin)));
        assertEquals("ACME Distribution", read.path("name").asText());
        assertEquals("active", read.path("status").asText());
        assertTrue(read.path("apiKeys").get(0).path("rotatedAt").isTextual());
        assertEquals(400, probe.post("/api/v1/resellers/" + id + "/api-keys", "{\"scope\":\"admin\"}", json(admin))
                .statusCode());
        HttpResponse<String> readKey = probe.post("/api/v1/resellers/" + id + "/api-keys", "{\"scope\":\"read\"}",
                json(admin));
        assertEquals(readKey.body(), 201, readKey.statusCode());
        String readKeyId = Probe.json(readKey).path("id").asText();
        assertEquals(204, probe.delete("/api/v1/resellers/" + id + "/api-keys/" + readKeyId, bearer(admin)).statusCode());
        assertEquals(401, probe.get("/api/v1/operators/me/api-keys", bearer(Probe.json(readKey).path("key").asText()))
                .statusCode());
        assertEquals(404, probe.get("/api/v1/resellers/rsl_aaaaaaaaaaaaaaaa", bearer(admin)).statusCode());
        HttpResponse<String> bad = probe.post("/api/v1/resellers", "{\"name\":\"\"}", json(admin));
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body(), bad.body().contains("'name'"));

        // disabled: its key is refused; enabled: accepted again
        assertEquals(200, probe.post("/api/v1/resellers/" + id + "/disabling", "", bearer(admin)).statusCode());
        assertEquals(401, probe.get("/api/v1/operators/me/api-keys", bearer(newKey)).statusCode());
        assertEquals(200, probe.post("/api/v1/resellers/" + id + "/enabling", "", bearer(admin)).statusCode());
        assertEquals(200, probe.get("/api/v1/operators/me/api-keys", bearer(newKey)).statusCode());

        JsonNode paths = Probe.json(probe.get("/api/v1/openapi.json")).path("paths");
        for (String path : List.of("/resellers", "/resellers/{id}/api-keys/{keyId}/rotation", "/webhooks",
                "/webhooks/{id}/deliveries", "/webhooks/{id}/secret-rotation")) {
            assertTrue(path + " described in the OpenAPI document", paths.has(path));
        }

        List<String> actions = audit.read(1, 100_000).stream().filter(r -> r.subject().equals("reseller:" + id))
                .map(r -> r.action()).toList();
        assertEquals(List.of("reseller.created", "reseller.disabled", "reseller.enabled"), actions);
    }

    @Test
    public void administratorsCreateResellersInTheConsoleWhichShowsTheKeyOnce() throws Exception {
        Probe probe = new Probe(context);
        probe.adminApiKey();
        String login = probe.initialAdmin().get("login");
        String basic = Probe.basic(login, Probe.ADMIN_PASSWORD);
        Probe.await("the reseller console page", () -> probe.get("/console/resellers", "Authorization", basic)
                .statusCode() == 200);
        HttpResponse<String> page = probe.get("/console/resellers", "Authorization", basic);
        assertTrue("the console's navigation, this page marked: " + page.body(),
                page.body().contains("<a href=\"/console/resellers\" aria-current=\"page\">"));
        // the shell's logout form comes first: the creation form is the page's last
        Matcher token = TOKEN.matcher(page.body());
        String pageToken = null;
        while (token.find()) {
            pageToken = token.group(1);
        }
        assertTrue(page.body(), pageToken != null);
        String form = "csrf=" + Probe.enc(pageToken) + "&action=create&name=" + Probe.enc("Console & Co");
        HttpResponse<String> forged = probe.post("/console/resellers", "action=create&name=Forged", "Authorization",
                basic, "Content-Type", "application/x-www-form-urlencoded", "Origin", probe.base());
        assertEquals(403, forged.statusCode());
        HttpResponse<String> done = probe.post("/console/resellers", form, "Authorization", basic, "Content-Type",
                "application/x-www-form-urlencoded", "Origin", probe.base());
        assertEquals(done.body(), 200, done.statusCode());
        assertTrue(done.body().contains("Console &amp; Co"));
        Matcher secret = SECRET.matcher(done.body());
        assertTrue(done.body(), secret.find());
        assertEquals(200, probe.get("/api/v1/operators/me/api-keys", bearer(secret.group(1))).statusCode());
        HttpResponse<String> again = probe.get("/console/resellers", "Authorization", basic);
        assertTrue(again.body().contains("Console &amp; Co"));
        assertFalse("the key is shown once", again.body().contains(secret.group(1)));
        assertTrue(resellers().list().stream().anyMatch(r -> r.name().equals("Console & Co")));
        assertTrue(resellers().list().stream().noneMatch(r -> r.name().equals("Forged")));
    }

    static String order(String organisation) {
        return "{\"product\":\"enterprise-plus\",\"validityYears\":1,\"medium\":\"cloud\","
                + "\"certificateManager\":{\"givenNames\":\"Anna Maria\",\"surname\":\"Eriksson\",\"birthDate\":\"1974-08-12\","
                + "\"email\":\"anna@example.org\",\"mobile\":\"+33612345678\"},"
                + "\"legalRepresentative\":{\"sameAsCertificateManager\":true},"
                + "\"organisation\":{\"name\":\"" + organisation + "\",\"country\":\"FR\",\"identifier\":\"552100554\","
                + "\"vat\":\"FR96552100554\",\"address\":{\"lines\":[\"1 rue de la Paix\"],\"postalCode\":\"75002\","
                + "\"city\":\"Paris\",\"country\":\"FR\"}}}";
    }

    @Test
    public void aResellerNeitherReadsNorCancelsNorResendsLinksOfAnotherResellersOrder() throws Exception {
        Probe probe = new Probe(context);
        String admin = probe.adminApiKey();
        JsonNode createdA = create(probe, admin, "Reseller A");
        String a = createdA.path("apiKey").asText();
        JsonNode createdB = create(probe, admin, "Reseller B");
        String b = createdB.path("apiKey").asText();
        Probe.await("the orders resource served", () -> probe.get("/api/v1/orders", bearer(a)).statusCode() == 200);
        HttpResponse<String> submitted = probe.post("/api/v1/orders", order("ACME SAS"), json(a));
        assertEquals(submitted.body(), 201, submitted.statusCode());
        String orderId = Probe.json(submitted).path("id").asText();
        assertEquals(createdA.path("id").asText(), Probe.json(submitted).path("reseller").asText());

        assertEquals(200, probe.get("/api/v1/orders/" + orderId, bearer(a)).statusCode());
        assertEquals(200, probe.get("/api/v1/orders/" + orderId, bearer(admin)).statusCode());
        assertEquals(404, probe.get("/api/v1/orders/" + orderId, bearer(b)).statusCode());
        assertEquals(404, probe.get("/api/v1/orders/" + orderId + "/events", bearer(b)).statusCode());
        HttpResponse<String> cancelled = probe.post("/api/v1/orders/" + orderId + "/cancellation",
                "{\"reason\":\"not yours\"}", json(b));
        assertEquals(cancelled.body(), 404, cancelled.statusCode());
        HttpResponse<String> resentByB = probe.post("/api/v1/orders/" + orderId + "/status-links", "{}", json(b));
        assertEquals(resentByB.body(), 404, resentByB.statusCode());
        HttpResponse<String> resentByA = probe.post("/api/v1/orders/" + orderId + "/status-links", "{}", json(a));
        assertEquals(resentByA.body(), 200, resentByA.statusCode());
        assertEquals("certificate-manager", Probe.json(resentByA).path("sent").path(0).path("role").asText());
        assertEquals(1, Probe.json(resentByA).path("sent").size());
        JsonNode listB = Probe.json(probe.get("/api/v1/orders", bearer(b)));
        assertEquals(0, listB.path("orders").size());
        assertEquals("b's list ignores the reseller parameter", 0, Probe.json(probe.get("/api/v1/orders?reseller="
                + createdA.path("id").asText(), bearer(b))).path("orders").size());
        assertEquals(1, Probe.json(probe.get("/api/v1/orders", bearer(a))).path("orders").size());
        assertEquals(1, Probe.json(probe.get("/api/v1/orders?reseller=" + createdA.path("id").asText(), bearer(admin)))
                .path("orders").size());
        assertEquals("a reseller does not reject, operators do", 403, probe.post("/api/v1/orders/" + orderId
                + "/rejection", "{\"reason\":\"x\"}", json(a)).statusCode());
        JsonNode still = Probe.json(probe.get("/api/v1/orders/" + orderId, bearer(a)));
        assertFalse(still.path("state").asText(), still.path("state").asText().equals("CANCELLED"));
        assertEquals(200, probe.post("/api/v1/orders/" + orderId + "/cancellation", "{\"reason\":\"changed my mind\"}",
                json(a)).statusCode());
        assertEquals("CANCELLED", Probe.json(probe.get("/api/v1/orders/" + orderId, bearer(a))).path("state").asText());
    }
}
