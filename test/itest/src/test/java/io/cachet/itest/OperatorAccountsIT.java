package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;

/**
 * Operator accounts in the running distribution, one story in order: the initial API key waits for the password
 * change; API keys are listed, created, rotated and revoked over REST and in the console, and every change takes
 * effect on the next request; failures are throttled (429 with Retry-After) and audited in bursts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class OperatorAccountsIT {

    static final String KEYS = "/api/v1/operators/me/api-keys";
    static final Pattern KEY = Pattern.compile("ck_[a-z2-7]{12}_[A-Za-z0-9_-]{43}");
    /** The administrator's password as the steps change it. */
    private static String password;

    @Inject
    BundleContext context;

    @Inject
    AuditLog audit;

    private Probe probe;

    /** A first back-off far longer than two requests on localhost take, so that the 429 does not depend on speed. */
    static final int BACKOFF_SECONDS = 10;

    @Inject
    ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() throws Exception {
        Path data = Files.createTempDirectory("cachet-it-");
        // SCR's default 5 s lock timeout is shorter than the first start's key ceremony on a loaded 2-core machine
        // (Jetty then gives up on the CA's servlets for good); this class is about accounts, not start-up speed
        Option[] options = CachetRuntime.options(data, Map.of("ds.lock.timeout.milliseconds", "60000"));
        Files.writeString(data.resolve("deploy").resolve("io.cachet.console.operators.cfg"),
                "backoffInitialSeconds=" + BACKOFF_SECONDS + "\n");
        return options;
    }

    @Before
    public void ready() {
        probe = new Probe(context);
        probe.healthy();
        Probe.await("the operator directory to run with the test's configuration", () -> {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                if ("io.cachet.console.operators".equals(d.name)) {
                    for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                        if (c.state == ComponentConfigurationDTO.ACTIVE
                                && String.valueOf(BACKOFF_SECONDS).equals(String.valueOf(c.properties.get("backoffInitialSeconds")))) {
                            return true;
                        }
                    }
                }
            }
            return false;
        });
        probe.healthy();
    }

    private HttpResponse<String> json(String method, String path, String key, String body) {
        String[] headers = {"Authorization", "Bearer " + key, "Content-Type", "application/json"};
        return switch (method) {
            case "GET" -> probe.get(path, headers);
            case "POST" -> probe.post(path, body, headers);
            case "DELETE" -> probe.delete(path, headers);
            default -> throw new IllegalArgumentException(method);
        };
    }

    @Test
    public void a_theInitialKeyWorksOnlyOnceTheInitialPasswordIsChanged() throws Exception {
        Map<String, String> admin = probe.initialAdmin();
        HttpResponse<String> before = json("GET", KEYS, admin.get("api-key"), null);
        assertEquals(before.body(), 403, before.statusCode());
        assertEquals("password_change_required", Probe.json(before).path("error").asText());
        assertTrue(Probe.json(before).path("error_description").asText().contains("/console/password"));

        probe.changePassword(admin.get("login"), admin.get("password"), Probe.ADMIN_PASSWORD);
        password = Probe.ADMIN_PASSWORD;

        HttpResponse<String> after = json("GET", KEYS, admin.get("api-key"), null);
        assertEquals(after.body(), 200, after.statusCode());
        JsonNode keys = Probe.json(after).path("keys");
        assertEquals(1, keys.size());
        assertEquals("admin", keys.get(0).path("scope").asText());
        assertEquals("active", keys.get(0).path("status").asText());
        assertFalse("a listing never carries a secret", after.body().contains(admin.get("api-key").substring(16)));
        assertFalse(keys.get(0).has("key"));

        HttpResponse<String> unknownPath = json("GET", "/api/v1/no-such-thing", admin.get("api-key"), null);
        assertEquals(404, unknownPath.statusCode());
        assertEquals("not_found", Probe.json(unknownPath).path("error").asText());
    }

    @Test
    public void b_keysAreCreatedRotatedAndRevokedOverRestAndRefusedAtOnce() throws Exception {
        String admin = probe.adminApiKey();
        String expiry = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        HttpResponse<String> created = json("POST", KEYS, admin,
                "{\"scope\": \"read\", \"label\": \"itest reader\", \"expiresAt\": \"" + expiry + "\"}");
        assertEquals(created.body(), 201, created.statusCode());
        JsonNode body = Probe.json(created);
        String readKey = body.path("key").asText();
        String id = body.path("id").asText();
        assertTrue(readKey, KEY.matcher(readKey).matches());
        assertEquals("read", body.path("scope").asText());
        assertEquals(expiry, body.path("expiresAt").asText());
        assertEquals(KEYS + "/" + id, created.headers().firstValue("Location").orElse(""));

        assertEquals(200, json("GET", KEYS, readKey, null).statusCode());
        HttpResponse<String> escalate = json("POST", KEYS, readKey, "{\"scope\": \"admin\"}");
        assertEquals(403, escalate.statusCode());
        assertEquals("a read key cannot issue certificates", 403,
                json("POST", "/api/v1/certificates", readKey, "{}").statusCode());
        assertEquals(400, json("POST", KEYS, admin, "{\"scope\": \"root\"}").statusCode());
        assertEquals(400, json("POST", KEYS, admin, "{\"scope\": \"read\", \"expiresAt\": \"tomorrow\"}").statusCode());

        HttpResponse<String> rotated = json("POST", KEYS + "/" + id + "/rotation", admin, "");
        assertEquals(rotated.body(), 200, rotated.statusCode());
        String newKey = Probe.json(rotated).path("key").asText();
        assertEquals(id, Probe.json(rotated).path("id").asText());
        assertEquals("the old secret is refused at once", 401, json("GET", KEYS, readKey, null).statusCode());
        assertEquals(200, json("GET", KEYS, newKey, null).statusCode());

        assertEquals(204, json("DELETE", KEYS + "/" + id, admin, null).statusCode());
        HttpResponse<String> revoked = json("GET", KEYS, newKey, null);
        assertEquals("revoked at once", 401, revoked.statusCode());
        assertTrue(Probe.json(revoked).path("error_description").asText().contains("revoked"));
        assertEquals(409, json("DELETE", KEYS + "/" + id, admin, null).statusCode());
        assertEquals(404, json("DELETE", KEYS + "/aaaaaaaaaaaa", admin, null).statusCode());

        JsonNode listed = Probe.json(json("GET", KEYS, admin, null)).path("keys");
        assertEquals(2, listed.size());
        assertFalse(listed.toString().contains(newKey.substring(16)));

        long changes = audit.read(1, 10_000).stream().map(AuditRecord::action)
                .filter(a -> a.equals("operator.apikey.created") || a.equals("operator.apikey.rotated")
                        || a.equals("operator.apikey.revoked")).count();
        assertEquals("initial key, created, rotated, revoked", 4, changes);
        assertTrue(probe.get("/api/v1/openapi.json").body().contains("/operators/me/api-keys/{id}/rotation"));
    }

    @Test
    public void c_aPasswordChangeTakesEffectInTheConsoleOnTheNextRequest() throws Exception {
        probe.adminApiKey();
        assertEquals(200, probe.get("/system/console/bundles", "Authorization", Probe.basic("admin", password)).statusCode());
        String next = "second-itest-passphrase-7";
        probe.changePassword("admin", password, next);
        assertEquals("the old password is refused at once", 401,
                probe.get("/system/console/bundles", "Authorization", Probe.basic("admin", password)).statusCode());
        password = next;
        assertEquals(200, probe.get("/system/console/bundles", "Authorization", Probe.basic("admin", password)).statusCode());
    }

    @Test
    public void c2_browsersLogInOnAFormAndTheSessionEndsWithThePassword() throws Exception {
        probe.adminApiKey();
        HttpResponse<String> anonymous = probe.get("/system/console/bundles", "Accept", "text/html");
        assertEquals(303, anonymous.statusCode());
        assertEquals("/console/login?next=%2Fsystem%2Fconsole%2Fbundles", anonymous.headers().firstValue("Location").orElse(""));
        assertFalse("no Basic challenge for a browser", anonymous.headers().firstValue("WWW-Authenticate").isPresent());
        assertEquals(200, probe.get("/console/login").statusCode());

        String form = "login=admin&password=" + Probe.enc(password) + "&next=%2Fsystem%2Fconsole%2Fbundles";
        assertEquals("cross-site login refused", 403, probe.post("/console/login", form, "Content-Type",
                "application/x-www-form-urlencoded", "Origin", "http://evil.example").statusCode());
        HttpResponse<String> in = probe.post("/console/login", form, "Content-Type", "application/x-www-form-urlencoded",
                "Origin", probe.base());
        assertEquals(in.body(), 303, in.statusCode());
        assertEquals("/system/console/bundles", in.headers().firstValue("Location").orElse(""));
        String setCookie = in.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(setCookie, setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"));
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> console = probe.get("/system/console/bundles", "Cookie", cookie, "Accept", "text/html");
        assertEquals(200, console.statusCode());
        assertTrue(console.body().contains("io.cachet.store"));
        assertEquals(200, probe.get("/console/api-keys", "Cookie", cookie, "Accept", "text/html").statusCode());

        String next = "third-itest-passphrase-9";
        probe.changePassword("admin", password, next);
        password = next;
        assertEquals("the session ends with the password", 303,
                probe.get("/system/console/bundles", "Cookie", cookie, "Accept", "text/html").statusCode());
    }

    @Test
    public void d_theConsolePageManagesKeysWithForgeryProtection() throws Exception {
        probe.adminApiKey();
        String auth = Probe.basic("admin", password);
        HttpResponse<String> page = probe.get("/console/api-keys", "Authorization", auth);
        assertEquals(page.body(), 200, page.statusCode());
        assertTrue(page.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        // the page's own forms come after the console shell's logout form, whose token is for logging out only
        Matcher token = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"").matcher(page.body());
        String pageToken = null;
        while (token.find()) {
            pageToken = token.group(1);
        }
        assertTrue(pageToken != null);
        String form = "csrf=" + pageToken + "&action=create&scope=operator&label=console&days=7";

        HttpResponse<String> forged = probe.post("/console/api-keys", form, "Authorization", auth, "Content-Type",
                "application/x-www-form-urlencoded", "Origin", "http://evil.example");
        assertEquals(403, forged.statusCode());
        HttpResponse<String> noToken = probe.post("/console/api-keys", "action=create&scope=operator", "Authorization",
                auth, "Content-Type", "application/x-www-form-urlencoded", "Origin", probe.base());
        assertEquals(403, noToken.statusCode());

        HttpResponse<String> created = probe.post("/console/api-keys", form, "Authorization", auth, "Content-Type",
                "application/x-www-form-urlencoded", "Origin", probe.base());
        assertEquals(created.body(), 200, created.statusCode());
        Matcher key = KEY.matcher(created.body());
        assertTrue("the new key is shown once", key.find());
        HttpResponse<String> use = json("GET", KEYS, key.group(), null);
        assertEquals(200, use.statusCode());
        assertEquals(3, Probe.json(use).path("keys").size());
    }

    @Test
    public void z_repeatedFailuresAreThrottledWith429AndAuditedInOneBurst() throws Exception {
        String admin = probe.adminApiKey();
        long before = failureRecords();
        int status = 0;
        for (int i = 0; i < 10 && status != 429; i++) {
            status = probe.get("/system/console/bundles", "Authorization", Probe.basic("admin", "wrong password " + i))
                    .statusCode();
            assertTrue("401 or 429: " + status, status == 401 || status == 429);
        }
        HttpResponse<String> console = probe.get("/system/console/bundles", "Authorization", Probe.basic("admin", password));
        assertEquals("the right password waits too", 429, console.statusCode());
        assertTrue(Integer.parseInt(console.headers().firstValue("Retry-After").orElse("0")) >= 1);
        HttpResponse<String> api = json("GET", KEYS, admin, null);
        assertEquals("so does a valid key from the same client", 429, api.statusCode());
        assertEquals("too_many_requests", Probe.json(api).path("error").asText());
        assertTrue(Integer.parseInt(api.headers().firstValue("Retry-After").orElse("0")) >= 1);

        Probe.await("the back-off to end", () -> probe.get("/system/console/bundles", "Authorization",
                Probe.basic("admin", password)).statusCode() == 200);
        assertTrue("a dozen failures and refusals, at most one new audit record: " + (failureRecords() - before),
                failureRecords() - before <= 1);
    }

    private long failureRecords() {
        return audit.read(1, 100_000).stream().map(AuditRecord::action)
                .filter(a -> a.startsWith("operator.login.fail") || a.startsWith("operator.apikey.fail")).count();
    }
}
