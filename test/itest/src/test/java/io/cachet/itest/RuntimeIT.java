package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The distribution as shipped, on its embedded defaults (H2, software everything): every bundle active,
 * every component satisfied, /health, operator authentication of the Web Console and of the REST API.
 */
@RunWith(PaxExam.class)
// the console test comes first: it needs the initial password, which the health report's reader replaces
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
@ExamReactorStrategy(PerClass.class)
public class RuntimeIT {

    @Inject
    BundleContext context;

    @Inject
    ServiceComponentRuntime scr;

    private Probe probe;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-"), Map.of());
    }

    @Before
    public void ready() {
        probe = new Probe(context);
        probe.healthy();
    }

    @Test
    public void everyBundleIsActive() throws IOException {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " state " + b.getState());
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
        Set<String> installed = new TreeSet<>();
        for (Bundle b : context.getBundles()) {
            installed.add(b.getSymbolicName());
        }
        Set<String> expected = runBundles();
        assertTrue("cachet.bndrun's -runbundles lists Cachet's bundles: " + expected, expected.contains("io.cachet.api"));
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(installed);
        assertTrue("bundles of cachet.bndrun's -runbundles not installed: " + missing, missing.isEmpty());
    }

    /**
     * The bundles the distribution runs, by symbolic name: the -runbundles of distribution/cachet.bndrun, which the
     * build re-resolves and checks, so that this test never keeps a list of its own.
     */
    static Set<String> runBundles() throws IOException {
        Path bndrun = Path.of(System.getProperty("cachet.itest.distribution")).getParent().resolve("cachet.bndrun");
        String text = Files.readString(bndrun).replaceAll("\\\\\\R[ \\t]*", "");
        Matcher list = Pattern.compile("(?m)^-runbundles:(.*)$").matcher(text);
        assertTrue("no -runbundles in " + bndrun, list.find());
        Matcher entry = Pattern.compile("([^\\s,;']+);version='[^']*'").matcher(list.group(1));
        Set<String> bsns = new TreeSet<>();
        while (entry.find()) {
            bsns.add(entry.group(1));
        }
        return bsns;
    }

    @Test
    public void everyComponentIsSatisfied() {
        List<String> unsatisfied = new ArrayList<>();
        int cachetComponents = 0;
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.bundle.symbolicName.startsWith("io.cachet.")) {
                cachetComponents++;
            }
            if (!scr.isComponentEnabled(d)) {
                if (d.defaultEnabled) {
                    unsatisfied.add(d.name + " disabled");
                }
                continue; // else disabled as its bundle declares it (the REST whiteboard's optional CORS filter)
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                    unsatisfied.add(d.name + " state " + c.state + (c.failure == null ? "" : " " + c.failure));
                }
            }
        }
        assertTrue("components not satisfied: " + unsatisfied, unsatisfied.isEmpty());
        assertTrue("Cachet's components are there: " + cachetComponents, cachetComponents >= 10);
    }

    /**
     * The REST application waits for the start to settle (the condition cachet.settled): the whiteboard then
     * assembles it with the resources already there instead of once per resource arriving.
     */
    @Test
    public void theApiApplicationIsRegisteredOnlyOnceTheStartHasSettled() throws Exception {
        org.osgi.framework.ServiceReference<?>[] settled = context.getServiceReferences(
                "org.osgi.service.condition.Condition", "(osgi.condition.id=cachet.settled)");
        assertNotNull("the condition cachet.settled is registered", settled);
        assertEquals(1, settled.length);
        org.osgi.framework.ServiceReference<?>[] app = context.getServiceReferences("jakarta.ws.rs.core.Application",
                "(osgi.jakartars.name=cachet.api)");
        assertNotNull("the API application is registered", app);
        long conditionId = (Long) settled[0].getProperty("service.id");
        long appId = (Long) app[0].getProperty("service.id");
        assertTrue("the application (service " + appId + ") came after the condition (service " + conditionId + ")",
                appId > conditionId);
        assertEquals("(osgi.condition.id=cachet.settled)", app[0].getProperty("osgi.ds.satisfying.condition.target"));
    }

    @Test
    public void healthReportsBundlesComponentsAndTheDatabase() {
        JsonNode h = probe.healthyReport();
        assertEquals("UP", h.path("status").asText());
        assertTrue(h.path("checks").path("database").path("healthy").asBoolean());
        assertTrue(h.path("checks").path("database").path("detail").asText().startsWith("H2 at jdbc:h2:file:"));
        assertEquals(h.path("bundles").path("total").asInt(), h.path("bundles").path("active").asInt());
        assertEquals(0, h.path("components").path("unsatisfied").size());
    }

    @Test
    public void aWebConsoleRefusesItsStockPasswordAndMakesTheFirstAdminChangeTheirs() throws Exception {
        assertEquals(401, probe.get("/system/console/bundles", "Authorization", Probe.basic("admin", "admin")).statusCode());
        assertEquals(401, probe.get("/system/console/bundles").statusCode());

        Map<String, String> admin = probe.initialAdmin();
        assertEquals(Set.of("login", "password", "api-key"), admin.keySet());
        String login = admin.get("login");
        HttpResponse<String> first = probe.get("/system/console/bundles", "Authorization",
                Probe.basic(login, admin.get("password")));
        assertEquals("must change the initial password first", 303, first.statusCode());
        assertTrue(first.headers().firstValue("Location").orElse("").endsWith("/console/password"));

        String newPassword = "a-much-longer-secret-42";
        String form = "login=" + enc(login) + "&current=" + enc(admin.get("password")) + "&new=" + enc(newPassword)
                + "&confirm=" + enc(newPassword);
        HttpResponse<String> crossSite = probe.post("/console/password", form, "Content-Type",
                "application/x-www-form-urlencoded", "Origin", "http://evil.example");
        assertFalse("a cross-site form post is refused", crossSite.statusCode() == 303);

        assertEquals(200, probe.get("/console/password").statusCode());
        HttpResponse<String> changed = probe.post("/console/password", form, "Content-Type",
                "application/x-www-form-urlencoded", "Origin", probe.base());
        assertEquals(changed.body(), 303, changed.statusCode());
        assertEquals(401, probe.get("/system/console/bundles", "Authorization",
                Probe.basic(login, admin.get("password"))).statusCode());
        HttpResponse<String> console = probe.get("/system/console/bundles", "Authorization",
                Probe.basic(login, newPassword));
        assertEquals(200, console.statusCode());
        assertTrue(console.body().contains("io.cachet.store"));
    }

    /**
     * An integrator learns what to send from the generated description: every operation that takes a body says which
     * (a JSON schema, or the file types of an upload). The operations listed here take none.
     */
    @Test
    public void everyOperationThatTakesABodyDescribesIt() throws Exception {
        Set<String> bodiless = Set.of("POST /api/v1/operators/me/api-keys/{id}/rotation",
                "POST /api/v1/orders/{id}/cloud-space", "POST /api/v1/orders/{id}/cloud-space/link",
                "POST /api/v1/orders/{id}/cloud-space/reopening",
                "POST /api/v1/orders/{id}/evidence/timestamp", "POST /api/v1/resellers/{id}/api-keys/{keyId}/rotation",
                "POST /api/v1/resellers/{id}/disabling", "POST /api/v1/resellers/{id}/enabling",
                "POST /api/v1/webhooks/{id}/secret-rotation");
        JsonNode doc = Probe.json(probe.get("/api/v1/openapi.json"));
        String base = doc.path("servers").path(0).path("url").asText("");
        Set<String> undescribed = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String name = op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + base + path.getKey();
            if (Set.of("POST", "PUT", "PATCH").contains(op.getKey().toUpperCase(java.util.Locale.ROOT))
                    && !bodiless.contains(name)) {
                JsonNode content = op.getValue().path("requestBody").path("content");
                boolean described = content.size() > 0;
                for (JsonNode media : content) {
                    described &= media.path("schema").size() > 0;
                }
                if (!described) {
                    undescribed.add(name);
                }
            }
        }));
        assertTrue("operations whose body is not described: " + undescribed, undescribed.isEmpty());
    }

    /** And what it gets back: every successful answer but a 204 describes its body (JSON schema or file types). */
    @Test
    public void everySuccessfulAnswerDescribesItsBody() throws Exception {
        JsonNode doc = Probe.json(probe.get("/api/v1/openapi.json"));
        Set<String> undescribed = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op ->
                op.getValue().path("responses").fields().forEachRemaining(answer -> {
                    if (answer.getKey().startsWith("2") && !answer.getKey().equals("204")) {
                        JsonNode content = answer.getValue().path("content");
                        boolean described = content.size() > 0;
                        for (JsonNode media : content) {
                            described &= media.path("schema").size() > 0;
                        }
                        if (!described) {
                            undescribed.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey()
                                    + " " + answer.getKey());
                        }
                    }
                })));
        assertTrue("answers whose body is not described: " + undescribed, undescribed.isEmpty());
    }

    @Test
    public void restApiNeedsAnApiKeyAndAnswersInJson() throws Exception {
        HttpResponse<String> spec = probe.get("/api/v1/openapi.json");
        assertEquals(200, spec.statusCode());
        JsonNode doc = Probe.json(spec);
        assertEquals("3.0.3", doc.path("openapi").asText());
        assertNotNull(doc.get("paths"));

        HttpResponse<String> anonymous = probe.get("/api/v1/certificates");
        assertEquals(401, anonymous.statusCode());
        assertEquals("unauthorized", Probe.json(anonymous).path("error").asText());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

        assertEquals(401, probe.get("/api/v1/certificates", "Authorization", "Bearer ck_nope_nope").statusCode());
        // an authorised request: OperatorAccountsIT (the initial key works only once the password is changed)
    }

    @Test
    public void theSoftwareTokenDriverRunsInsideTheFrameworkAndCanSign() throws Exception {
        var refs = context.getServiceReferences(io.cachet.api.token.TokenDriver.class, "(token.driver=soft)");
        assertEquals("one soft token driver", 1, refs.size());
        io.cachet.api.token.TokenDriver driver = context.getService(refs.iterator().next());
        try {
            var blank = driver.tokens().stream().filter(t -> !t.has(io.cachet.api.token.TokenInfo.Flag.INITIALIZED))
                    .findFirst().orElseThrow();
            var info = driver.initialize(blank.slotId(), "so-pin-1234".toCharArray(), "1234".toCharArray(), "itest",
                    io.cachet.api.token.PinPolicy.TOKEN_DEFAULT);
            assertTrue(Files.isDirectory(probe.data().resolve("tokens")));
            try (var token = driver.login(info.serial(), "1234".toCharArray())) {
                var key = token.generateKeyPair("itest-key", io.cachet.api.token.KeyAlgorithm.EC_P256);
                assertTrue(key.protectedOnToken());
                byte[] message = "signed inside Felix".getBytes(StandardCharsets.UTF_8);
                byte[] signature = token.sign("itest-key", io.cachet.api.token.SignatureAlgorithm.ECDSA_SHA256, message);
                java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
                verifier.initVerify(key.publicKey());
                verifier.update(message);
                assertTrue("the signature verifies with the JDK", verifier.verify(signature));
            }
        } finally {
            context.ungetService(refs.iterator().next());
        }
    }

    @Test
    public void initialAdminFileIsPrivate() throws Exception {
        Path file = probe.data().resolve("initial-admin.txt");
        assertTrue(Files.exists(file));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
