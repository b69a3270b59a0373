package io.cachet.identity.vendor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.cachet.api.identity.Attempt;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.IdentityProvider;
import io.cachet.api.order.OrderRole;
import io.cachet.identity.vendor.testing.FakeVendor;

/** Sessions created with the local fake vendor over real HTTP; every failure is "try again later". */
class VendorClientTest {

    FakeVendor vendor;
    HttpServer odd;

    @AfterEach
    void stop() {
        if (vendor != null) {
            vendor.close();
        }
        if (odd != null) {
            odd.stop(0);
        }
    }

    static IdentityCase identityCase() {
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        return new IdentityCase("idc_123", "ord_1", OrderRole.CERTIFICATE_MANAGER, "MARTIN", "Zoé Anne",
                LocalDate.of(1985, 3, 14), "zoe@example.com", CaseStatus.IN_PROGRESS, "vendor",
                List.of(new Attempt(2, "vendor", null, null, List.of(), null, List.of(), t, null)), 3, List.of(),
                "0.4.0.19461.1.1", t, t, null);
    }

    VendorProvider provider(String baseUrl, String apiKey, Map<String, Object> more) {
        java.util.HashMap<String, Object> set = new java.util.HashMap<>(Map.of("baseUrl", baseUrl, "allowLocalhost",
                true, "apiKey", apiKey, "requestTimeoutSeconds", 5));
        set.putAll(more);
        return new VendorProvider(Configs.settings(set));
    }

    @Test
    void aSessionIsCreatedAndThePersonIsSentToTheVendorsPage() throws Exception {
        vendor = new FakeVendor(Configs.API_KEY);
        VendorProvider p = provider(vendor.baseUrl(), Configs.API_KEY, Map.of("callbackUrl",
                "https://cachet.example/api/v1/identity/vendor/webhook"));
        IdentityProvider.Start start = p.start(identityCase(), "flow-token-not-sent", "en");
        FakeVendor.Session session = vendor.sessionFor("idc_123");
        assertEquals(session.id(), start.reference());
        assertEquals(vendor.baseUrl() + "/verify/" + session.id(), start.url());
        assertEquals("en", session.language());
        assertTrue(session.body().contains("\"attempt\":2"), session.body());
        assertTrue(session.body().contains("\"callback_url\":\"https://cachet.example/api/v1/identity/vendor/webhook\""));
        assertFalse(session.body().contains("MARTIN"), "no personal data unless sendExpectedPerson");
        assertFalse(session.body().contains("flow-token"), "the flow token stays here");

        provider(vendor.baseUrl(), Configs.API_KEY, Map.of("sendExpectedPerson", true)).start(identityCase(), "t", "fr");
        FakeVendor.Session second = vendor.sessionFor("idc_123");
        assertEquals("fr", second.language());
        assertTrue(second.body().contains("\"expected\":{\"surname\":\"MARTIN\",\"given_names\":\"Zoé Anne\","
                + "\"birth_date\":\"1985-03-14\"}"), second.body());
    }

    String unavailable(VendorProvider p) {
        IdentityException e = assertThrows(IdentityException.class, () -> p.start(identityCase(), "t", "fr"));
        assertEquals(IdentityException.Reason.UNAVAILABLE, e.reason());
        assertEquals("provider.unavailable", e.code());
        assertFalse(e.getMessage().contains(Configs.API_KEY), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aVendorThatFailsRefusesTheKeyOrIsDownIsUnavailable() throws Exception {
        vendor = new FakeVendor(Configs.API_KEY);
        vendor.failWith(503);
        assertTrue(unavailable(provider(vendor.baseUrl(), Configs.API_KEY, Map.of())).contains("HTTP 503"));
        vendor.failWith(400);
        assertTrue(unavailable(provider(vendor.baseUrl(), Configs.API_KEY, Map.of())).contains("HTTP 400"));
        vendor.failWith(0);
        assertTrue(unavailable(provider(vendor.baseUrl(), "wrong-key", Map.of())).contains("HTTP 401"));
        assertEquals(List.of("Bearer wrong-key"), vendor.refusedKeys());
        assertTrue(vendor.sessions().isEmpty());

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertTrue(unavailable(provider("http://127.0.0.1:" + closedPort, Configs.API_KEY, Map.of()))
                .contains("could not be reached"));
    }

    void oddVendor(int status, String answer) throws IOException {
        odd = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        odd.createContext("/sessions", x -> {
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, b.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(b);
            }
        });
        odd.start();
    }

    @Test
    void anAnswerWithoutAUsableSessionOrPageIsUnavailable() throws Exception {
        String[][] answers = { { "201", "not json" }, { "201", "{\"url\":\"https://vendor.example/v/1\"}" },
                { "201", "{\"id\":\"a b\",\"url\":\"https://vendor.example/v/1\"}" },
                { "201", "{\"id\":\"s1\"}" }, { "201", "{\"id\":\"s1\",\"url\":\"javascript:alert(1)\"}" },
                { "201", "{\"id\":\"s1\",\"url\":\"http://vendor.example/v/1\"}" },
                { "302", "{\"id\":\"s1\",\"url\":\"https://vendor.example/v/1\"}" } };
        for (String[] a : answers) {
            oddVendor(Integer.parseInt(a[0]), a[1]);
            String base = "http://127.0.0.1:" + odd.getAddress().getPort();
            unavailable(provider(base, Configs.API_KEY, Map.of()));
            odd.stop(0);
            odd = null;
        }
        oddVendor(200, "{\"id\":\"s1\",\"url\":\"https://vendor.example/v/1\",\"extra\":true}");
        IdentityProvider.Start ok = provider("http://127.0.0.1:" + odd.getAddress().getPort(), Configs.API_KEY,
                Map.of()).start(identityCase(), "t", "fr");
        assertEquals(new IdentityProvider.Start("https://vendor.example/v/1", "s1"), ok);
    }
}
