package io.cachet.organisation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.link.IssuedLink;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.web.ClientLimiter;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestPages;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.Part;

/** The upload page through the real page framework, links, orders and cases (H2). */
class UploadServletTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path dir;

    /** A multipart part as the container gives it. */
    record FakePart(String name, String fileName, byte[] content) implements Part {
        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(content);
        }

        @Override
        public String getContentType() {
            return "application/octet-stream";
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getSubmittedFileName() {
            return fileName;
        }

        @Override
        public long getSize() {
            return content.length;
        }

        @Override
        public void write(String fileName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete() {
        }

        @Override
        public String getHeader(String name) {
            return null;
        }

        @Override
        public Collection<String> getHeaders(String name) {
            return List.of();
        }

        @Override
        public Collection<String> getHeaderNames() {
            return List.of();
        }
    }

    private static HttpServletRequest multipart(String token, String cookie, Map<String, Part> parts) {
        HttpServletRequest base = FakeHttp.request("POST", UploadServlet.PATH + "/" + token, "/" + token, Map.of(),
                FormGuard.COOKIE, cookie, "en");
        long length = parts.values().stream().mapToLong(Part::getSize).sum();
        return new HttpServletRequestWrapper(base) {
            @Override
            public Part getPart(String name) {
                return parts.get(name);
            }

            @Override
            public long getContentLengthLong() {
                return length;
            }
        };
    }

    private static Map<String, Part> form(String csrf, String kind, String fileName, byte[] content) {
        Map<String, Part> parts = new HashMap<>();
        if (csrf != null) {
            parts.put("csrf", new FakePart("csrf", null, csrf.getBytes(StandardCharsets.UTF_8)));
        }
        parts.put("kind", new FakePart("kind", null, kind.getBytes(StandardCharsets.UTF_8)));
        parts.put("file", new FakePart("file", fileName, content));
        return parts;
    }

    @Test
    void aPersonUploadsTheExtractWithTheFormsTokenAndABadOneIsRefusedWithAClearPage() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Order o = f.submit(null);
            IssuedLink link = f.links.issue(o.id(), OrderRole.CERTIFICATE_MANAGER, "status", "anna@example.org",
                    "/order/status", Duration.ofDays(30), "customer");
            UploadServlet servlet = new UploadServlet(TestPages.create(new OrganisationPages()), f.links, f.service,
                    f.orders::find, f.settings::get, new FormGuard(new byte[32], new SecureRandom()),
                    new ClientLimiter(30, Clock.systemUTC()));

            FakeHttp.Response unknown = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", "/organisation/upload/x", "/" + "x".repeat(43), Map.of(),
                    FormGuard.COOKIE, null, "en"), unknown.proxy);
            assertEquals(404, unknown.status);
            assertFalse(unknown.body().contains("ACME"));

            FakeHttp.Response page = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", "/organisation/upload/" + link.token(), "/" + link.token(), Map.of(),
                    FormGuard.COOKIE, null, "en"), page.proxy);
            assertEquals(200, page.status);
            assertTrue(page.body().contains("ACME SAS") && page.body().contains("enctype=\"multipart/form-data\""),
                    page.body());
            Matcher csrf = CSRF.matcher(page.body());
            assertTrue(csrf.find());
            String cookie = page.cookies.get(0).substring(FormGuard.COOKIE.length() + 1, page.cookies.get(0).indexOf(';'));

            FakeHttp.Response forged = new FakeHttp.Response();
            servlet.doPost(multipart(link.token(), cookie, form("guess", "EXTRACT", "k.pdf", Fixture.pdf("x"))),
                    forged.proxy);
            assertEquals(403, forged.status);

            FakeHttp.Response old = new FakeHttp.Response();
            servlet.doPost(multipart(link.token(), cookie, form(csrf.group(1), "EXTRACT", "old.pdf",
                    Fixture.kbis(LocalDate.parse("2026-08-01"), "ACME SAS", "552100554", "Anna Maria ERIKSSON"))),
                    old.proxy);
            assertEquals(400, old.status);
            assertTrue(old.body().contains("issued on 2026-08-01, more than 3 months ago"), old.body());
            assertTrue(f.service.forOrder(o.id()).orElseThrow().documents().isEmpty());

            FakeHttp.Response sent = new FakeHttp.Response();
            servlet.doPost(multipart(link.token(), cookie, form(csrf.group(1), "EXTRACT", "kbis.pdf",
                    Fixture.kbis(LocalDate.parse("2026-11-25"), "ACME SAS", "552100554", "Anna Maria ERIKSSON"))),
                    sent.proxy);
            assertEquals(303, sent.status, sent.body());
            assertEquals(UploadServlet.PATH + "/" + link.token() + "?sent=EXTRACT", sent.headers.get("Location"));
            assertEquals(OrganisationCase.IN_REVIEW, f.service.forOrder(o.id()).orElseThrow().status());

            // the status page's action follows the case
            assertTrue(UploadAction.link(f.service, f.orders.find(o.id()).orElseThrow(), link.token(), "fr")
                    .orElseThrow().label().startsWith("Voir ou compléter"));
            f.service.decide(f.service.forOrder(o.id()).orElseThrow().id(), true, "EXTRACT", null, "operator:ra");
            assertTrue(UploadAction.link(f.service, f.orders.find(o.id()).orElseThrow(), link.token(), "fr").isEmpty());
            FakeHttp.Response done = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", "/organisation/upload/" + link.token(), "/" + link.token(), Map.of(),
                    FormGuard.COOKIE, null, "en"), done.proxy);
            assertEquals(200, done.status);
            assertFalse(done.body().contains("type=\"file\""), "nothing more to upload");
            assertTrue(done.body().contains("kbis.pdf"));
        }
    }
}
