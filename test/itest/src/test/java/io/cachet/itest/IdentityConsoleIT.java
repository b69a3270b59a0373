package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
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

import io.cachet.api.audit.AuditLog;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.CheckResult;
import io.cachet.api.identity.Decision;
import io.cachet.api.identity.EvidenceKind;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.identity.IdentityProvider;
import io.cachet.api.identity.ProviderResult;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Orders;

/**
 * The console's identity review in the running distribution, over real HTTP: an order in VERIFICATION whose identity
 * case is brought to review by a provider of this test (registered as any provider bundle would be, its result
 * handed to the identity service), then decided by registration officers through the pages: an approval passes the
 * order's identity check; a rejection needs a reason of the list; a post without the form's token, an operator
 * without the role, and a request without login are refused, nothing changed; images go only to an officer, never
 * cached.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IdentityConsoleIT {

    static final String FORM = "application/x-www-form-urlencoded";
    static final Pattern TOKEN = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"");
    static final Map<String, String> ROLES = Map.of("olga", "ra-officer", "rita", "ra-officer", "sam", "support",
            "carl", "operator");
    static final String PROVIDER = "itest-console";
    private static boolean prepared;

    @Inject
    BundleContext context;

    // looked up once the server is up: a loaded first start outlasts Pax Exam's injection wait
    private OperatorDirectory directory;
    private Orders orders;
    private IdentityCases cases;
    private AuditLog audit;

    private Probe probe;
    private String admin;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-"),
                Map.of("ds.lock.timeout.milliseconds", "60000"));
    }

    /** A provider as a bundle would register one: it sends the person nowhere and reports later, like a vendor. */
    static final class TestProvider implements IdentityProvider {
        @Override
        public String id() {
            return PROVIDER;
        }

        @Override
        public Start start(IdentityCase identityCase, String flowToken, String language) {
            return new Start("/identity/documents", "itest-" + identityCase.id() + "-"
                    + identityCase.currentAttempt().number());
        }
    }

    @Before
    public void ready() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        directory = service(OperatorDirectory.class);
        orders = service(Orders.class);
        cases = service(IdentityCases.class);
        audit = service(AuditLog.class);
        admin = probe.adminApiKey();
        if (!prepared) {
            for (Map.Entry<String, String> a : ROLES.entrySet()) {
                directory.createAccount(a.getKey(), Set.of(a.getValue()), "first-itest-passphrase-5".toCharArray(),
                        "operator:itest");
                probe.changePassword(a.getKey(), "first-itest-passphrase-5", password(a.getKey()));
            }
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(IdentityProvider.ID, PROVIDER);
            context.registerService(IdentityProvider.class, new TestProvider(), props);
            IdentityFixture.useProvider(context, PROVIDER);
            prepared = true;
        }
    }

    private <T> T service(Class<T> type) {
        Probe.await("the service " + type.getSimpleName(), () -> context.getServiceReference(type) != null);
        return context.getService(context.getServiceReference(type));
    }

    static String password(String login) {
        return "quartz-itest-passphrase-" + login.length();
    }

    /** An order in VERIFICATION whose one identity case (the manager is the legal representative) is under review. */
    private IdentityCase caseInReview(String organisation) throws IOException {
        // the person's own address: their identity link is found by it in the outbox
        String email = "anna." + organisation.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]", "") + "@example.org";
        HttpResponse<String> r = probe.post("/api/v1/orders", OrdersIT.order(organisation, "552100554", "cloud")
                .replace("anna@example.org", email),
                "Authorization", "Bearer " + admin, "Content-Type", "application/json");
        assertEquals(r.body(), 201, r.statusCode());
        String order = Probe.json(r).path("id").asText();
        Probe.await("the order's identity case", () -> cases.forOrder(order).size() == 1);
        IdentityCase opened = cases.forOrder(order).get(0);
        IdentityFixture.start(probe, admin, cases, opened);
        cases.addImage(opened.id(), EvidenceKind.DOCUMENT_FRONT, jpeg(), "provider:" + PROVIDER);
        cases.addImage(opened.id(), EvidenceKind.SELFIE, jpeg(), "provider:" + PROVIDER);
        IdentityCase review = cases.providerResult(opened.id(), new ProviderResult(ProviderResult.Outcome.VERIFIED,
                "ERIKSSON", "ANNA MARIA", LocalDate.of(1974, 8, 12), "passport", "L898902C3", LocalDate.of(2031, 4, 15),
                List.of(new CheckResult("vendor.liveness", true, "score 0.97"))), "provider:" + PROVIDER);
        assertEquals(CaseStatus.REVIEW, review.status());
        return review;
    }

    /** A real JPEG of 1080×1920 (the smallest the service takes). */
    static byte[] jpeg() throws IOException {
        BufferedImage image = new BufferedImage(1080, 1920, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 1920; y += 40) {
            for (int x = 0; x < 1080; x++) {
                image.setRGB(x, y, 0x3060a0);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private HttpResponse<String> get(String login, String path) {
        return probe.get(path, "Authorization", Probe.basic(login, password(login)), "Accept-Language", "en");
    }

    /** The review form's token from the case page (the last on it: the shell's logout form comes first). */
    private String token(String login, String caseId) {
        HttpResponse<String> page = get(login, "/console/identity/" + caseId);
        assertEquals(page.body(), 200, page.statusCode());
        Matcher m = TOKEN.matcher(page.body());
        String token = "";
        while (m.find()) {
            token = m.group(1);
        }
        return token;
    }

    private HttpResponse<String> post(String login, String caseId, String form) {
        return probe.post("/console/identity/" + caseId, form, "Authorization", Probe.basic(login, password(login)),
                "Content-Type", FORM, "Origin", probe.base(), "Accept-Language", "en");
    }

    private CheckStatus identityCheck(String order) {
        return orders.find(order).orElseThrow().checks().stream().filter(c -> c.kind().startsWith("identity"))
                .findFirst().orElseThrow().status();
    }

    @Test
    public void anOfficerSeesTheQueueAndTheEvidenceAndApprovesTheOrdersIdentityCheckPasses() throws Exception {
        IdentityCase c = caseInReview("Identite Approuvee SAS");
        HttpResponse<String> queue = get("olga", "/console/identity");
        assertEquals(queue.body(), 200, queue.statusCode());
        assertTrue(queue.body().contains("href=\"/console/orders/" + c.orderId() + "\""));
        assertTrue(queue.body().contains("href=\"/console/identity/" + c.id() + "\""));

        HttpResponse<String> page = get("olga", "/console/identity/" + c.id());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("/console/identity/" + c.id() + "/image/1/document-front"));
        assertTrue(page.body().contains("score 0.97"));

        // the image, to an officer only, never cached
        HttpResponse<byte[]> image = bytes("/console/identity/" + c.id() + "/image/1/document-front",
                "Authorization", Probe.basic("olga", password("olga")));
        assertEquals(200, image.statusCode());
        assertEquals("image/jpeg", image.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""));
        assertEquals("no-store", image.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("nosniff", image.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals((byte) 0xff, image.body()[0]);
        assertEquals((byte) 0xd8, image.body()[1]);

        String token = token("olga", c.id());
        HttpResponse<String> approved = post("olga", c.id(), "csrf=" + token + "&action=approve&confirm=yes");
        assertEquals(approved.body(), 303, approved.statusCode());
        assertEquals("/console/identity/" + c.id() + "?done=approved",
                approved.headers().firstValue("Location").orElse(""));
        IdentityCase after = cases.find(c.id()).orElseThrow();
        assertEquals(CaseStatus.APPROVED, after.status());
        Decision d = after.decisions().get(after.decisions().size() - 1);
        assertEquals("olga", d.operator().replace("operator:", ""));
        assertTrue(d.approved());
        Probe.await("the order's identity check passed", () -> identityCheck(c.orderId()) == CheckStatus.PASSED);
        assertFalse("out of the queue", get("olga", "/console/identity").body().contains(c.id()));
        // who looked at whose evidence, and who decided: in the audit log
        for (String action : List.of("identity.case.viewed", "identity.image.viewed", "identity.case.approved")) {
            assertTrue(action, audit.read(1, 100_000).stream().anyMatch(a -> a.action().equals(action)
                    && a.actor().equals("operator:olga") && a.subject().equals("identity-case:" + c.id())));
        }
    }

    @Test
    public void aRejectionNeedsAReasonOfTheList() throws Exception {
        IdentityCase c = caseInReview("Identite Refusee SAS");
        String token = token("rita", c.id());
        HttpResponse<String> noReason = post("rita", c.id(), "csrf=" + token + "&action=reject&comment=blurred");
        assertEquals(400, noReason.statusCode());
        assertTrue(noReason.body().contains("choose a reason from the list"));
        assertEquals(CaseStatus.REVIEW, cases.find(c.id()).orElseThrow().status());

        String reason = cases.rejectionReasons().get(0);
        HttpResponse<String> rejected = post("rita", c.id(), "csrf=" + token + "&action=reject&reason=" + reason
                + "&comment=" + Probe.enc("The photo of the document is blurred") + "&retry=yes");
        assertEquals(rejected.body(), 303, rejected.statusCode());
        IdentityCase after = cases.find(c.id()).orElseThrow();
        assertEquals(CaseStatus.OPEN, after.status());
        Decision d = after.decisions().get(after.decisions().size() - 1);
        assertFalse(d.approved());
        assertEquals(reason, d.reason());
        assertEquals("The photo of the document is blurred", d.comment());
        assertNotEquals(CheckStatus.PASSED, identityCheck(c.orderId()));
    }

    @Test
    public void withoutTokenRoleOrLoginNothingIsShownNorChanged() throws Exception {
        IdentityCase c = caseInReview("Identite Gardee SAS");
        String path = "/console/identity/" + c.id();

        // a post without the form's token, or with another operator's
        HttpResponse<String> forged = post("olga", c.id(), "action=approve&confirm=yes");
        assertEquals(403, forged.statusCode());
        assertTrue(forged.body().contains("This form is out of date or was not sent from this page"));
        HttpResponse<String> othersToken = post("olga", c.id(), "csrf=" + token("rita", c.id())
                + "&action=approve&confirm=yes");
        assertEquals(403, othersToken.statusCode());

        // operators without the role
        assertEquals(403, get("carl", "/console/identity").statusCode());
        assertEquals(200, get("sam", "/console/identity").statusCode());
        assertEquals(403, get("sam", path).statusCode());
        assertEquals(403, get("carl", path).statusCode());
        assertEquals(403, get("sam", path + "/image/1/selfie").statusCode());
        assertEquals(403, post("sam", c.id(), "csrf=" + token("olga", c.id()) + "&action=approve&confirm=yes")
                .statusCode());

        // no login at all: a program is challenged, a browser sent to the login form; never the image
        HttpResponse<byte[]> anonymous = bytes(path + "/image/1/selfie");
        assertTrue(String.valueOf(anonymous.statusCode()), anonymous.statusCode() == 401
                || anonymous.statusCode() == 303);
        assertFalse(anonymous.headers().firstValue("Content-Type").orElse("").startsWith("image/"));
        HttpResponse<byte[]> browser = bytes(path + "/image/1/selfie", "Accept", "text/html");
        assertTrue(String.valueOf(browser.statusCode()), browser.statusCode() == 401 || browser.statusCode() == 303);
        HttpResponse<String> anonymousPost = probe.post(path, "action=approve&confirm=yes", "Content-Type", FORM,
                "Origin", probe.base());
        assertTrue(anonymousPost.statusCode() == 401 || anonymousPost.statusCode() == 303);

        IdentityCase after = cases.find(c.id()).orElseThrow();
        assertEquals(CaseStatus.REVIEW, after.status());
        assertTrue(after.decisions().isEmpty());
        assertFalse("no one without the role saw the evidence", audit.read(1, 100_000).stream().anyMatch(a ->
                a.subject().equals("identity-case:" + c.id()) && a.action().startsWith("identity.")
                        && a.action().endsWith(".viewed") && !a.actor().equals("operator:olga")
                        && !a.actor().equals("operator:rita")));
    }

    private HttpResponse<byte[]> bytes(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(probe.base() + path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build().send(b.build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
