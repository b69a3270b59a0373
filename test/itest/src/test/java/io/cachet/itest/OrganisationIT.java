package io.cachet.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
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
import io.cachet.api.notify.Channel;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.Outbox;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Submission;

/**
 * The organisation check in the distribution, over HTTP: an order entering VERIFICATION has the check
 * {@code organisation}; the person's status page links to the upload page; the upload form (multipart, anti-forgery
 * token) refuses an extract older than three months and one of another organisation with a clear page and nothing
 * stored, and a post without the token; an accepted extract (its issue date and identifier read with PDFBox inside
 * the server) waits for an operator; over {@code /api/v1/organisation} the operator reads the case and the document,
 * rejects with a reason (the customer is e-mailed, the status page shows it, the check fails), the customer uploads
 * again, the operator approves and the order's check passes. Every step audited.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OrganisationIT {

    static final String GOOD = "cachet.itest.extract.good";
    static final String OLD = "cachet.itest.extract.old";
    static final String OTHER = "cachet.itest.extract.other";
    private static final Pattern STATUS = Pattern.compile("http://localhost:\\d+(/order/status/[A-Za-z0-9_-]{43})");
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    BundleContext context;

    Orders orders;
    Outbox outbox;
    AuditLog audit;
    Probe probe;
    String apiKey;

    @Configuration
    public Option[] config() throws Exception {
        Path dir = Files.createTempDirectory("cachet-it-extracts-");
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        Path good = SampleExtracts.write(dir.resolve("kbis.pdf"), today.minusDays(10), "Organisation IT SAS",
                "552100554", "Anna ERIKSSON");
        Path old = SampleExtracts.write(dir.resolve("old.pdf"), today.minusMonths(4), "Organisation IT SAS",
                "552100554", "Anna ERIKSSON");
        Path other = SampleExtracts.write(dir.resolve("other.pdf"), today.minusDays(3), "Globex SARL", "732829320",
                "Hank SCORPIO");
        Option[] cachet = CachetRuntime.options(Files.createTempDirectory("cachet-it-organisation-"), Map.of());
        Option[] all = Arrays.copyOf(cachet, cachet.length + 3);
        all[cachet.length] = systemProperty(GOOD).value(good.toString());
        all[cachet.length + 1] = systemProperty(OLD).value(old.toString());
        all[cachet.length + 2] = systemProperty(OTHER).value(other.toString());
        return all;
    }

    @Before
    public void ready() throws IOException {
        probe = new Probe(context);
        probe.healthy();
        orders = service(Orders.class);
        outbox = service(Outbox.class);
        audit = service(AuditLog.class);
        apiKey = probe.adminApiKey();
    }

    private <T> T service(Class<T> type) {
        Probe.await("the service " + type.getSimpleName(), () -> context.getServiceReference(type) != null);
        return context.getService(context.getServiceReference(type));
    }

    private List<NotificationRecord> mail(String to, String template) {
        return outbox.list(Channel.EMAIL, 0, 500).stream()
                .filter(m -> m.recipient().equals(to) && m.template().equals(template)).toList();
    }

    private static CheckStatus check(Order o) {
        return o.checks().stream().filter(c -> c.kind().equals("organisation") && c.state() == OrderState.VERIFICATION)
                .map(c -> c.status()).findFirst().orElse(null);
    }

    /** The upload form's token and cookie, read from the page as a browser would. */
    private record Form(String csrf, String cookie) {
    }

    private Form form(String path) {
        HttpResponse<String> page = probe.get(path, "Accept-Language", "en");
        assertEquals(page.body(), 200, page.statusCode());
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(page.body(), m.find());
        String cookie = page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("cachet_organisation_form=")).findFirst().orElseThrow().split(";")[0];
        return new Form(m.group(1), cookie);
    }

    private HttpResponse<String> upload(String path, Form form, String kind, String fileName, byte[] content,
            String type) {
        String boundary = "----cachet-it-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder();
        if (form.csrf() != null) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n")
                    .append(form.csrf()).append("\r\n");
        }
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n")
                .append(kind).append("\r\n");
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                .append(fileName).append("\"\r\nContent-Type: ").append(type).append("\r\n\r\n");
        body.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest r = HttpRequest.newBuilder(URI.create(probe.base() + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Cookie", form.cookie()).header("Origin", probe.base()).header("Accept-Language", "en")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> api(String method, String path, String json) {
        return "GET".equals(method) ? probe.get("/api/v1/organisation" + path, "Authorization", "Bearer " + apiKey)
                : probe.post("/api/v1/organisation" + path, json, "Authorization", "Bearer " + apiKey,
                        "Content-Type", "application/json");
    }

    private static byte[] file(String property) throws IOException {
        return Files.readAllBytes(Path.of(System.getProperty(property)));
    }

    @Test
    public void theCustomerUploadsTheExtractFromTheStatusPageAndAnOperatorDecides() throws Exception {
        Order order = orders.submit(PortalIT.request("Organisation IT SAS", "anna.org@example.org", null),
                new Submission("customer", null, null, "en", null));
        assertEquals(CheckStatus.PENDING, check(order));
        Probe.await("the status e-mail", () -> !mail("anna.org@example.org", "portal.order.submitted").isEmpty());
        Matcher s = STATUS.matcher(mail("anna.org@example.org", "portal.order.submitted").get(0).body());
        assertTrue(s.find());
        String statusPath = s.group(1);
        String token = statusPath.substring("/order/status/".length());
        String uploadPath = "/organisation/upload/" + token;

        Probe.await("the organisation case opened", () -> Probe.json(api("GET", "/cases?order=" + order.id(), null))
                .path("cases").size() == 1);
        HttpResponse<String> status = probe.get(statusPath, "Accept-Language", "en");
        assertEquals(200, status.statusCode());
        assertTrue(status.body(), status.body().contains("href=\"" + uploadPath + "\""));
        assertTrue(status.body(), status.body().contains("Upload the register"));

        Form form = form(uploadPath);
        HttpResponse<String> old = upload(uploadPath, form, "EXTRACT", "old.pdf", file(OLD), "application/pdf");
        assertEquals(old.body(), 400, old.statusCode());
        assertTrue(old.body(), old.body().contains("more than 3 months ago"));
        HttpResponse<String> other = upload(uploadPath, form, "EXTRACT", "other.pdf", file(OTHER), "application/pdf");
        assertEquals(other.body(), 400, other.statusCode());
        assertTrue(other.body(), other.body().contains("does not name Organisation IT SAS"));
        HttpResponse<String> text = upload(uploadPath, form, "EXTRACT", "x.txt", "hello".getBytes(), "text/plain");
        assertEquals(400, text.statusCode());
        assertTrue(text.body(), text.body().contains("must be a PDF, a JPEG or a PNG"));
        HttpResponse<String> forged = upload(uploadPath, new Form(null, form.cookie()), "EXTRACT", "kbis.pdf",
                file(GOOD), "application/pdf");
        assertEquals(403, forged.statusCode());
        JsonNode untouched = Probe.json(api("GET", "/cases?order=" + order.id(), null)).path("cases").get(0);
        assertEquals("AWAITING_DOCUMENTS", untouched.path("status").asText());
        assertEquals(0, untouched.path("documents").size());
        assertEquals(404, probe.get("/organisation/upload/" + "x".repeat(43)).statusCode());

        HttpResponse<String> sent = upload(uploadPath, form, "EXTRACT", "kbis.pdf", file(GOOD), "application/pdf");
        assertEquals(sent.body(), 303, sent.statusCode());
        HttpResponse<String> after = probe.get(sent.headers().firstValue("Location").orElseThrow(),
                "Accept-Language", "en");
        assertTrue(after.body(), after.body().contains("Your extract was received"));
        assertTrue(after.body(), after.body().contains("kbis.pdf"));

        JsonNode k = Probe.json(api("GET", "/cases?order=" + order.id(), null)).path("cases").get(0);
        String caseId = k.path("id").asText();
        assertEquals("IN_REVIEW", k.path("status").asText());
        assertEquals(LocalDate.now(java.time.ZoneOffset.UTC).minusDays(10).toString(), k.path("extractIssued").asText());
        for (String name : List.of("identifier.format", "vat.key", "extract.date", "extract.identifier",
                "extract.name", "legal-representative")) {
            assertTrue(name + " " + k, k.path("checks").path(name).asText().startsWith("PASSED"));
        }
        String documentId = k.path("documents").get(0).path("id").asText();
        HttpResponse<byte[]> doc = HTTP.send(HttpRequest.newBuilder(URI.create(probe.base()
                + "/api/v1/organisation/cases/" + caseId + "/documents/" + documentId))
                .header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, doc.statusCode());
        assertArrayEquals(file(GOOD), doc.body());
        assertEquals(1, Probe.json(api("GET", "/cases", null)).path("cases").findValues("id").stream()
                .filter(v -> v.asText().equals(caseId)).count());

        HttpResponse<String> noReason = api("POST", "/cases/" + caseId + "/decision", "{\"approve\": false}");
        assertEquals(noReason.body(), 400, noReason.statusCode());
        assertTrue(noReason.body(), noReason.body().contains("reason.missing"));
        HttpResponse<String> numericReason = api("POST", "/cases/" + caseId + "/decision",
                "{\"approve\": false, \"reason\": 42}");
        assertEquals(numericReason.body(), 400, numericReason.statusCode());
        assertEquals("Field 'reason' must be a string.", Probe.json(numericReason).path("detail").asText());
        HttpResponse<String> rejected = api("POST", "/cases/" + caseId + "/decision",
                "{\"approve\": false, \"reason\": \"The extract is not signed by the registry.\"}");
        assertEquals(rejected.body(), 200, rejected.statusCode());
        assertEquals("REJECTED", Probe.json(rejected).path("status").asText());
        assertEquals(CheckStatus.FAILED, check(orders.find(order.id()).orElseThrow()));
        Probe.await("the rejection e-mail", () -> mail("anna.org@example.org", "organisation.rejected").size() == 1);
        assertTrue(mail("anna.org@example.org", "organisation.rejected").get(0).body()
                .contains("The extract is not signed by the registry."));
        HttpResponse<String> told = probe.get(statusPath, "Accept-Language", "en");
        assertTrue(told.body(), told.body().contains("The extract is not signed by the registry."));
        HttpResponse<String> again = api("POST", "/cases/" + caseId + "/decision", "{\"approve\": true,"
                + " \"legalRepresentativeBasis\": \"EXTRACT\"}");
        assertEquals(again.body(), 409, again.statusCode());

        Form second = form(uploadPath);
        HttpResponse<String> resent = upload(uploadPath, second, "EXTRACT", "kbis-2.pdf", file(GOOD), "application/pdf");
        assertEquals(resent.body(), 303, resent.statusCode());
        assertEquals(CheckStatus.PENDING, check(orders.find(order.id()).orElseThrow()));
        HttpResponse<String> approved = api("POST", "/cases/" + caseId + "/decision", "{\"approve\": true,"
                + " \"legalRepresentativeBasis\": \"EXTRACT\"}");
        assertEquals(approved.body(), 200, approved.statusCode());
        assertEquals("APPROVED", Probe.json(approved).path("status").asText());
        assertEquals(CheckStatus.PASSED, check(orders.find(order.id()).orElseThrow()));
        HttpResponse<String> closed = probe.get(uploadPath, "Accept-Language", "en");
        assertFalse(closed.body(), closed.body().contains("type=\"file\""));

        List<String> actions = audit.read(1, 100_000).stream().filter(r -> r.subject().equals("order:" + order.id()))
                .map(r -> r.action()).toList();
        for (String a : List.of("organisation.case.opened", "organisation.document.refused",
                "organisation.document.uploaded", "organisation.document.read", "organisation.case.rejected",
                "organisation.case.approved")) {
            assertTrue(a + " in " + actions, actions.contains(a));
        }
    }
}
