package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

import io.cachet.api.acceptance.Acceptances;
import io.cachet.api.ca.PlatformSealKey;
import io.cachet.api.notify.Channel;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.Outbox;
import io.cachet.api.order.CheckState;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Submission;
import io.cachet.api.signature.SignatureReport;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Validator;
import io.cachet.api.signature.Verdict;

/**
 * The acceptance in the distribution, over HTTP: an order whose VERIFICATION checks pass (as identity proofing and the
 * organisation check would report) enters ACCEPTANCE and each person is e-mailed a link (outbox). On the page, a post
 * without the anti-forgery token is refused, "send me a code" sends an SMS (outbox), a wrong code and the other
 * person's code are refused with the tries left; the right code accepts: the platform seals the form (PAdES-B-LT,
 * its own seal certificate), which pdfsig finds valid after the first signature and with both at the end (the first
 * staying valid), and DSS validates at LT trusting the platform's trust anchors. A second acceptance is refused.
 * {@code GET /api/v1/acceptance/{orderId}} and {@code /form} answer operators; the order moves to ISSUANCE.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AcceptanceIT {

    private static final Pattern LINK = Pattern.compile("http://localhost:\\d+(/acceptance/[A-Za-z0-9_-]{43})");
    private static final Pattern CSRF = Pattern.compile("action=\"([^\"]+)\"[^>]*>\\s*<input type=\"hidden\" name=\"csrf\""
            + " value=\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Inject
    BundleContext context;

    Probe probe;
    Orders orders;
    Outbox outbox;
    Acceptances acceptances;
    PlatformSealKey seal;
    Validator validator;
    Path dir;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-acceptance-"),
                Map.of("ds.lock.timeout.milliseconds", "60000"));
    }

    @Before
    public void ready() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        orders = service(Orders.class);
        outbox = service(Outbox.class);
        acceptances = service(Acceptances.class);
        seal = service(PlatformSealKey.class);
        validator = service(Validator.class);
        dir = Files.createTempDirectory("cachet-it-acceptance-files-");
    }

    /** The order's language: its e-mails, SMS and form are in it (the pages follow the browser's). */
    protected String language() {
        return "en";
    }

    private <T> T service(Class<T> type) {
        Probe.await("the service " + type.getSimpleName(), () -> context.getServiceReference(type) != null);
        return context.getService(context.getServiceReference(type));
    }

    private List<NotificationRecord> messages(Channel channel, String to, String template) {
        return outbox.list(channel, 0, 500).stream()
                .filter(m -> m.recipient().equals(to) && m.template().equals(template)).toList();
    }

    private String link(String email) {
        Probe.await("the acceptance e-mail to " + email, () -> !messages(Channel.EMAIL, email, "acceptance.link")
                .isEmpty());
        NotificationRecord m = messages(Channel.EMAIL, email, "acceptance.link").get(0);
        Matcher found = LINK.matcher(m.body());
        assertTrue(m.body(), found.find());
        return found.group(1);
    }

    private String code(String mobile, int count) {
        Probe.await("acceptance SMS #" + count + " to " + mobile,
                () -> messages(Channel.SMS, mobile, "acceptance.code").size() >= count);
        Matcher m = Pattern.compile("\\b([0-9]{6})\\b").matcher(messages(Channel.SMS, mobile, "acceptance.code").get(0)
                .body());
        assertTrue(m.find());
        return m.group(1);
    }

    /** A person's browser: its anti-forgery cookie and the last page's form tokens. */
    final class Person {
        final String path;
        String cookie;
        String page;

        Person(String path) {
            this.path = path;
        }

        HttpResponse<String> open() throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(probe.base() + path)).header("Accept-Language",
                    "en");
            if (cookie != null) {
                b.header("Cookie", cookie);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            r.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
            page = r.body();
            return r;
        }

        String token(String action) {
            Matcher m = CSRF.matcher(page);
            while (m.find()) {
                if (m.group(1).endsWith(action)) {
                    return m.group(2);
                }
            }
            throw new AssertionError("no form " + action + " on the page: " + page);
        }

        HttpResponse<String> post(String action, String token, String code) throws Exception {
            String form = "csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                    + (code == null ? "" : "&code=" + code);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(probe.base() + path + action))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", probe.base())
                    .header("Cookie", cookie).header("Accept-Language", "en").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            page = r.body();
            return r;
        }
    }

    private Path form(String key, String orderId, String name) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(probe.base() + "/api/v1/acceptance/"
                + orderId + "/form")).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("application/pdf", r.headers().firstValue("Content-Type").orElse(""));
        return Files.write(dir.resolve(name), r.body());
    }

    private int validSignatures(Path pdf) {
        Commands.Result r = Commands.run(dir, Duration.ofSeconds(60), "pdfsig", "-nocert", "-no-ocsp", pdf.toString());
        assertEquals(r.out(), 0, r.exit());
        return r.out().split("Signature is Valid\\.", -1).length - 1;
    }

    @Test
    public void bothPersonsAcceptWithSmsCodesAndThePlatformSealsTheFormTwice() throws Exception {
        String key = probe.adminApiKey();
        JsonNode health = probe.healthyReport().path("checks").path("acceptance");
        assertTrue(health.toString(), health.toString().contains("sealing ready"));
        JsonNode described = Probe.json(probe.get("/api/v1/openapi.json")).path("paths");
        assertTrue("the acceptance calls are in the OpenAPI description",
                described.path("/acceptance/{orderId}").has("get") && described.path("/acceptance/{orderId}/form")
                        .has("get"));
        Order order = orders.submit(PortalIT.request("Acceptance IT SAS", "anna.acc@example.org", "bob.acc@example.org"),
                new Submission("customer", null, null, language(), null));
        String id = order.id();
        assertEquals(404, probe.get("/api/v1/acceptance/" + id, "Authorization", "Bearer " + key).statusCode());
        for (CheckState c : order.checks()) {
            if (c.state() == OrderState.VERIFICATION) {
                order = orders.report(id, c.kind(), CheckStatus.PASSED, "", "check:" + c.kind());
            }
        }
        assertEquals(OrderState.ACCEPTANCE, order.state());
        assertTrue(order.checks().toString(), order.checks().stream().anyMatch(c -> c.kind().equals(
                "acceptance.certificate-manager")));
        assertTrue(order.checks().stream().anyMatch(c -> c.kind().equals("acceptance.legal-representative")));

        Person anna = new Person(link("anna.acc@example.org"));
        Person bob = new Person(link("bob.acc@example.org"));
        assertEquals(200, anna.open().statusCode());
        assertTrue(anna.page, anna.page.contains("Hello Anna Eriksson,"));
        assertTrue(anna.page, anna.page.contains("Bob Martin has not accepted yet."));
        Matcher image = Pattern.compile("src=\"(/acceptance/[^\"]+/page/1)\"").matcher(anna.page);
        assertTrue(image.find());
        HttpResponse<byte[]> png = HTTP.send(HttpRequest.newBuilder(URI.create(probe.base() + image.group(1)))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        assertEquals((byte) 0x89, png.body()[0]);

        JsonNode status = Probe.json(probe.get("/api/v1/acceptance/" + id, "Authorization", "Bearer " + key));
        assertEquals(language(), status.path("language").asText());
        assertFalse(status.path("complete").asBoolean());
        assertEquals("WAITING", status.path("persons").get(0).path("status").asText());
        assertEquals("+33 6 •• •• •• 78", status.path("persons").get(0).path("maskedMobile").asText());

        // bad input: a post without this browser's token sends nothing
        assertEquals(403, anna.post("/code", "forged", null).statusCode());
        assertTrue(messages(Channel.SMS, "+33612345678", "acceptance.code").isEmpty());

        anna.open();
        assertEquals(200, anna.post("/code", anna.token("/code"), null).statusCode());
        assertTrue(anna.page, anna.page.contains("A code has been sent to your mobile."));
        String annasCode = code("+33612345678", 1);
        String wrong = String.format("%06d", (Integer.parseInt(annasCode) + 1) % 1_000_000);
        HttpResponse<String> refused = anna.post("/accept", anna.token("/accept"), wrong);
        assertEquals(422, refused.statusCode());
        assertTrue(refused.body(), refused.body().contains("This code is wrong. Tries left: 4."));

        // Bob's link with Anna's code: refused (the code was sent to Anna, for Anna)
        bob.open();
        assertEquals(200, bob.post("/code", bob.token("/code"), null).statusCode());
        String bobsCode = code("+33698765432", 1);
        if (!bobsCode.equals(annasCode)) {
            assertEquals(422, bob.post("/accept", bob.token("/accept"), annasCode).statusCode());
        }

        String annasToken = anna.token("/accept");
        HttpResponse<String> accepted = anna.post("/accept", annasToken, annasCode);
        assertEquals(accepted.body(), 200, accepted.statusCode());
        assertTrue(accepted.body(), accepted.body().contains("your acceptance is recorded and the form is sealed"));
        Path first = form(key, id, "first.pdf");
        assertEquals(1, validSignatures(first));
        assertEquals(OrderState.ACCEPTANCE, orders.find(id).orElseThrow().state());

        // a second acceptance by the same person (a stale tab posting again): refused, nothing changed
        anna.open();
        assertFalse(anna.page, anna.page.contains("action=\"" + anna.path + "/accept\""));
        HttpResponse<String> twice = anna.post("/accept", annasToken, annasCode);
        assertEquals(409, twice.statusCode());
        assertTrue(twice.body(), twice.body().contains("You have already accepted this form."));
        assertEquals(1, validSignatures(form(key, id, "still-one.pdf")));

        bob.open();
        assertTrue(bob.page, bob.page.contains("Anna Eriksson has accepted."));
        assertEquals(200, bob.post("/accept", bob.token("/accept"), bobsCode).statusCode());
        Path both = form(key, id, "both.pdf");
        assertEquals(2, validSignatures(both));
        byte[] one = Files.readAllBytes(first);
        byte[] two = Files.readAllBytes(both);
        assertEquals("incremental: the first revision is kept byte for byte", new String(one, StandardCharsets.ISO_8859_1),
                new String(two, 0, one.length, StandardCharsets.ISO_8859_1));

        ValidationResult dss = validator.validate(both, List.of(), ValidationOptions.trusting(seal.trustAnchors()));
        assertEquals(dss.summary() + "\n" + dss.signatures(), Verdict.VALID, dss.verdict());
        assertEquals(2, dss.signatures().size());
        for (SignatureReport s : dss.signatures()) {
            assertEquals(s.toString(), "TOTAL_PASSED", s.indication());
            assertEquals(s.toString(), "PAdES-BASELINE-LT", s.format());
        }

        JsonNode done = Probe.json(probe.get("/api/v1/acceptance/" + id, "Authorization", "Bearer " + key));
        assertTrue(done.toString(), done.path("complete").asBoolean());
        assertEquals("ACCEPTED", done.path("persons").get(1).path("status").asText());
        assertTrue(acceptances.forOrder(id).orElseThrow().complete());
        Probe.await("the order in ISSUANCE", () -> orders.find(id).orElseThrow().state() == OrderState.ISSUANCE);
        assertNotEquals(OrderState.ACCEPTANCE, orders.find(id).orElseThrow().state());
        assertEquals(401, probe.get("/api/v1/acceptance/" + id + "/form").statusCode());
    }
}
