package io.cachet.delivery.cloud.internal.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.security.Digests;
import io.cachet.api.signature.Level;
import io.cachet.api.web.ClientLimiter;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.Tools;
import io.cachet.store.testing.TestDatabases;
import io.cachet.web.testing.FakeHttp;

/**
 * The JSON endpoints a program (the command line's demo) uses: session cookie and anti-forgery header, problems with
 * a detail saying what to do, the whole path from the seal list to the signed PDF's download.
 */
class ClickCertApiServletTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Stream<String> products() {
        return TestDatabases.products();
    }

    private static final class Client {
        final ClickCertApiServlet servlet;
        final HolderSession session;

        Client(ClickCertApiServlet servlet, HolderSession session) {
            this.servlet = servlet;
            this.session = session;
        }

        FakeHttp.Request request(String method, String path) {
            FakeHttp.Request r = FakeHttp.request(method, path);
            if (session != null) {
                r.cookie(HolderAccess.SESSION_COOKIE, Fixture.Holders.cookie(session));
                r.header(HolderAccess.CSRF_HEADER, session.csrf());
            }
            return r;
        }

        FakeHttp.Response send(FakeHttp.Request r) throws Exception {
            FakeHttp.Response resp = new FakeHttp.Response();
            switch (r.method) {
                case "GET" -> servlet.doGet(r.build(), resp.proxy);
                case "POST" -> servlet.doPost(r.build(), resp.proxy);
                case "DELETE" -> servlet.doDelete(r.build(), resp.proxy);
                default -> throw new IllegalArgumentException(r.method);
            }
            return resp;
        }

        JsonNode json(FakeHttp.Request r, int status) throws Exception {
            FakeHttp.Response resp = send(r);
            assertEquals(status, resp.status, resp.body());
            return JSON.readTree(resp.body.toString());
        }
    }

    private static ClickCertApiServlet servlet(Fixture f) {
        return new ClickCertApiServlet(f.service, f.revocations, f.holders, new ClientLimiter(1000, f.clock));
    }

    private static void problem(FakeHttp.Response r, int status, String error, String detail) throws Exception {
        assertEquals(status, r.status, r.body());
        assertEquals("application/problem+json;charset=UTF-8", r.headers.get("Content-Type"));
        JsonNode n = JSON.readTree(r.body.toString());
        assertEquals(error, n.get("error").asText(), r.body());
        assertTrue(n.get("detail").asText().contains(detail), n.toString());
        assertFalse(r.body().contains("Exception"), "never a stack trace");
    }

    @Test
    void aProgramRevokesItsHoldersSealWithTheConfirmationAndReauthentication() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_api");
            f.holderWithSeal("h2", "ord_other");
            Client c = new Client(servlet(f), f.holders.login("h1"));
            String url = "/space/api/seals/ord_api/revocation";

            FakeHttp.Response forged = c.send(FakeHttp.request("POST", url).cookie(HolderAccess.SESSION_COOKIE,
                    Fixture.Holders.cookie(c.session)).json("{\"reason\":\"keyCompromise\",\"confirm\":true,"
                            + "\"password\":\"" + Fixture.PASSWORD + "\"}"));
            problem(forged, 403, "csrf", "anti-forgery token");
            problem(c.send(c.request("POST", url).json("{\"reason\":\"keyCompromise\",\"password\":\""
                    + Fixture.PASSWORD + "\"}")), 400, "not-confirmed", "final");
            problem(c.send(c.request("POST", url).json("{\"reason\":\"cACompromise\",\"confirm\":true,"
                    + "\"password\":\"" + Fixture.PASSWORD + "\"}")), 400, "no-reason", "Choose why");
            problem(c.send(c.request("POST", url).json("{\"reason\":\"keyCompromise\",\"confirm\":true,"
                    + "\"password\":\"nope\"}")), 401, "authentication", "Nothing was revoked");
            problem(c.send(c.request("POST", "/space/api/seals/ord_other/revocation").json("{\"reason\":"
                    + "\"keyCompromise\",\"confirm\":true,\"password\":\"" + Fixture.PASSWORD + "\"}")), 403,
                    "not-yours", "not one of yours");
            assertTrue(f.keys.revoked.isEmpty());

            JsonNode done = c.json(c.request("POST", url).json("{\"reason\":\"affiliationChanged\",\"confirm\":true,"
                    + "\"password\":\"" + Fixture.PASSWORD + "\"}"), 200);
            String serial = f.keys.keys.get("ord_api").certificate().getSerialNumber().toString(16);
            assertEquals(serial, done.get("serial").asText());
            assertEquals("affiliationChanged", done.get("revocationReason").asText());
            assertTrue(done.hasNonNull("revokedAt"));
            JsonNode seal = c.json(c.request("GET", "/space/api/seals"), 200).get(0);
            assertEquals("REVOKED", seal.get("status").asText());
            assertEquals("affiliationChanged", seal.get("revocationReason").asText());
            problem(c.send(c.request("POST", url).json("{\"reason\":\"superseded\",\"confirm\":true,"
                    + "\"password\":\"" + Fixture.PASSWORD + "\"}")), 409, "already-revoked", "already revoked");
            assertEquals(List.of("ord_api:affiliationChanged:customer:h1"), f.keys.revocations);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aProgramListsSealsUploadsSignsWithReauthenticationAndDownloads(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            f.holderWithSeal("h1", "ord_api");
            Client c = new Client(servlet(f), f.holders.login("h1"));

            JsonNode seals = c.json(c.request("GET", "/space/api/seals"), 200);
            assertEquals(1, seals.size());
            assertEquals("ord_api", seals.get(0).get("orderId").asText());
            assertEquals("VALID", seals.get(0).get("status").asText());
            assertEquals("ACME SAS", seals.get(0).get("organisation").asText());
            assertTrue(seals.get(0).has("validTo"));

            byte[] pdf = Files.readAllBytes(Pdfs.pages(dir.resolve("a.pdf"), 1));
            JsonNode up = c.json(c.request("POST", "/space/api/documents").header("X-Filename", "devis.pdf")
                    .body("application/pdf", pdf), 201);
            String id = up.get("id").asText();
            assertEquals(Digests.sha256Hex(pdf), up.get("sha256").asText());
            assertEquals(1, up.get("pages").asInt());
            assertEquals("UPLOADED", up.get("status").asText());

            FakeHttp.Response png = c.send(c.request("GET", "/space/api/documents/" + id + "/pages/1.png"));
            assertEquals(200, png.status);
            assertEquals("image/png", png.headers.get("Content-Type"));

            problem(c.send(c.request("POST", "/space/api/documents/" + id + "/sign").json(
                    "{\"orderId\":\"ord_api\",\"password\":\"nope\"}")), 401, "reauthentication", "tries left");

            JsonNode signed = c.json(c.request("POST", "/space/api/documents/" + id + "/sign").json(
                    "{\"orderId\":\"ord_api\",\"password\":\"" + Fixture.PASSWORD + "\",\"sha256\":\""
                            + up.get("sha256").asText() + "\",\"visible\":{\"page\":1,\"x\":300,\"y\":650}}"), 200);
            assertEquals("LT", signed.get("level").asText());
            assertEquals("/space/api/documents/" + id + "/signed", signed.get("download").asText());

            FakeHttp.Response download = c.send(c.request("GET", signed.get("download").asText()));
            assertEquals(200, download.status);
            assertEquals("application/pdf", download.headers.get("Content-Type"));
            assertTrue(download.headers.get("Content-Disposition").contains("devis-signed.pdf"));
            byte[] out = download.bytes.toByteArray();
            assertEquals(signed.get("signedSha256").asText(), Digests.sha256Hex(out));
            Path file = dir.resolve("devis-signed.pdf");
            Files.write(file, out);
            assertEquals(0, Tools.pdfsigValid(file, 1));

            JsonNode history = c.json(c.request("GET", "/space/api/documents"), 200);
            assertEquals(1, history.size());
            assertEquals("SIGNED", history.get(0).get("status").asText());
            assertEquals("devis.pdf", history.get(0).get("fileName").asText());
            assertEquals("ord_api", history.get(0).get("orderId").asText());
        }
    }

    @Test
    void withoutASessionOrTheAntiForgeryHeaderNothingHappens() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_1");
            ClickCertApiServlet servlet = servlet(f);
            Client nobody = new Client(servlet, null);
            problem(nobody.send(nobody.request("GET", "/space/api/seals")), 401, "not-logged-in", "Log in");
            problem(nobody.send(nobody.request("POST", "/space/api/documents").body("application/pdf",
                    Files.readAllBytes(Pdfs.pages(dir.resolve("a.pdf"), 1)))), 401, "not-logged-in", "Log in");

            HolderSession s = f.holders.login("h1");
            Client forged = new Client(servlet, s);
            FakeHttp.Request r = forged.request("POST", "/space/api/documents").body("application/pdf",
                    Files.readAllBytes(Pdfs.pages(dir.resolve("b.pdf"), 1)));
            r.headers.remove(HolderAccess.CSRF_HEADER);
            problem(forged.send(r), 403, "csrf", HolderAccess.CSRF_HEADER);
            r.header(HolderAccess.CSRF_HEADER, "csrf-of-someone-else");
            problem(forged.send(r), 403, "csrf", HolderAccess.CSRF_HEADER);
            assertTrue(f.service.history("h1").isEmpty());
        }
    }

    @Test
    void badInputAnswersAProblemSayingWhatToDo() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_1");
            f.holderWithSeal("h2", "ord_2");
            f.settings.set(new ClickCertSettings(1024 * 1024, Level.LT, Duration.ofDays(30), Duration.ofHours(1), 60));
            Client c = new Client(servlet(f), f.holders.login("h1"));
            Client other = new Client(servlet(f), f.holders.login("h2"));

            problem(c.send(c.request("POST", "/space/api/documents").header("X-Filename", "a.docx").body(
                    "application/octet-stream", "PK\u0003\u0004 word".getBytes(StandardCharsets.ISO_8859_1))), 415,
                    "not-pdf", "Only PDF documents can be sealed in the cloud space");
            problem(c.send(c.request("POST", "/space/api/documents").body("application/pdf",
                    new byte[1024 * 1024 + 10])), 413, "too-large", "1 MB");
            problem(c.send(c.request("POST", "/space/api/documents").body("application/pdf",
                    "%PDF-1.4\nnot really".getBytes(StandardCharsets.ISO_8859_1))), 422, "corrupt", "damaged");

            byte[] enc = Files.readAllBytes(Pdfs.encrypted(dir.resolve("e.pdf"), "pw-1", "owner"));
            JsonNode locked = c.json(c.request("POST", "/space/api/documents").body("application/pdf", enc), 201);
            assertEquals("PASSWORD_REQUIRED", locked.get("status").asText());
            String lockedId = locked.get("id").asText();
            problem(c.send(c.request("POST", "/space/api/documents/" + lockedId + "/password").json(
                    "{\"password\":\"wrong\"}")), 422, "wrong-pdf-password", "password is wrong");
            JsonNode open = c.json(c.request("POST", "/space/api/documents/" + lockedId + "/password").json(
                    "{\"password\":\"pw-1\"}"), 200);
            assertEquals("UPLOADED", open.get("status").asText());
            JsonNode direct = c.json(c.request("POST", "/space/api/documents").header("X-Pdf-Password", "pw-1")
                    .body("application/pdf", enc), 201);
            assertEquals("UPLOADED", direct.get("status").asText());

            problem(c.send(c.request("POST", "/space/api/documents/" + lockedId + "/sign").json("not json")), 400,
                    "bad-request", "JSON");
            problem(c.send(c.request("POST", "/space/api/documents/" + lockedId + "/sign").json(
                    "{\"orderId\":\"ord_1\",\"password\":\"x\",\"visible\":{\"page\":\"one\"}}")), 422,
                    "bad-placement", "page, x and y");
            problem(other.send(other.request("GET", "/space/api/documents/" + lockedId)), 404, "not-found",
                    "No such document");
            problem(other.send(other.request("POST", "/space/api/documents/" + lockedId + "/sign").json(
                    "{\"orderId\":\"ord_2\",\"password\":\"" + Fixture.PASSWORD + "\"}")), 404, "not-found",
                    "No such document");
            problem(c.send(c.request("POST", "/space/api/documents/" + lockedId + "/sign").json(
                    "{\"orderId\":\"ord_2\",\"password\":\"" + Fixture.PASSWORD + "\"}")), 403, "not-your-seal",
                    "not one of yours");
            problem(c.send(c.request("GET", "/space/api/documents/" + lockedId + "/signed")), 404, "not-found",
                    "No such document");
            problem(c.send(c.request("GET", "/space/api/documents/" + lockedId + "/pages/9.png")), 422,
                    "bad-placement", "page from 1 to 1");
            problem(c.send(c.request("GET", "/space/api/nothing")), 404, "not-found", "");

            JsonNode removed = c.json(c.request("DELETE", "/space/api/documents/" + lockedId), 200);
            assertEquals("PURGED", removed.get("status").asText());

            String refusals = f.refusals().toString();
            for (String reason : List.of("not-pdf", "too-large", "corrupt", "wrong_password", "not-your-seal")) {
                assertTrue(refusals.contains(reason), reason + " audited: " + refusals);
            }
            assertTrue(f.audit.actions().contains("clickcert.discarded"));
        }
    }
}
