package io.cachet.delivery.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.core.Response;

import io.cachet.api.delivery.Carrier.CarrierEvent;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.order.Order;
import io.cachet.api.rest.ApiException;
import io.cachet.store.testing.TestDatabases;

/** A carrier integration reporting by webhook (HMAC-signed) and by being polled, on H2 and PostgreSQL. */
class CarrierTest {

    static final String SECRET = "s3cret-shared-with-testpost";

    @TempDir
    Path dir;

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    static MailSettings testpost(int pollMinutes) {
        return new MailSettings("", List.of(), 5L * 1024 * 1024, pollMinutes, 60, "testpost");
    }

    static byte[] body(String tracking, String status) {
        return ("{\"tracking\":\"" + tracking + "\",\"status\":\"" + status + "\",\"comment\":\"signed by E. L.\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> signed(byte[] body, String secret) {
        return Map.of("X-TestPost-Signature", "sha256=" + TestPost.sign(secret.getBytes(StandardCharsets.UTF_8),
                body), "Content-Type", "application/json");
    }

    @ParameterizedTest
    @MethodSource("products")
    void aForgedCallIsRefusedAndAuditedAGenuineOneMovesTheLetter(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            f.carriers.add(new TestPost(SECRET));
            f.settings.set(testpost(60));
            CarrierWebhookResource webhook = new CarrierWebhookResource(f.service);
            Order o = f.submitToken("fr");
            Shipment s = f.service.prepare(o.id(), "SN1", "api:op");
            assertEquals("testpost", s.carrier());
            f.service.move(s.id(), ShipmentState.SENT, "TP000123", null, "api:op");
            int told = f.told.calls.size();

            byte[] delivered = body("TP000123", "DELIVERED");
            ApiException forged = assertThrows(ApiException.class,
                    () -> webhook.receive("testpost", signed(delivered, "guessed"), delivered));
            assertEquals(401, forged.status());
            ApiException unsigned = assertThrows(ApiException.class,
                    () -> webhook.receive("testpost", Map.of(), delivered));
            assertEquals(401, unsigned.status());
            byte[] tampered = body("TP000123", "LOST");
            ApiException altered = assertThrows(ApiException.class,
                    () -> webhook.receive("testpost", signed(delivered, SECRET), tampered));
            assertEquals(401, altered.status(), "a signature of another body");
            assertEquals(3, f.records("shipment.webhook.refused").size());
            assertEquals("carrier:testpost", f.records("shipment.webhook.refused").get(0).subject());
            assertEquals(ShipmentState.SENT, f.service.find(s.id()).orElseThrow().state(), "nothing moved");
            assertEquals(told, f.told.calls.size());

            assertEquals(404, assertThrows(ApiException.class,
                    () -> webhook.receive("nopost", signed(delivered, SECRET), delivered)).status());
            assertEquals(404, assertThrows(ApiException.class,
                    () -> webhook.receive("Bad Id", Map.of(), delivered)).status());
            byte[] unknown = body("TP999999", "DELIVERED");
            assertEquals(404, assertThrows(ApiException.class,
                    () -> webhook.receive("testpost", signed(unknown, SECRET), unknown)).status());
            byte[] garbage = "not json".getBytes(StandardCharsets.UTF_8);
            assertEquals(400, assertThrows(ApiException.class,
                    () -> webhook.receive("testpost", signed(garbage, SECRET), garbage)).status());
            byte[] transit = body("TP000123", "IN_TRANSIT");
            Response ignored = webhook.receive("testpost", signed(transit, SECRET), transit);
            assertEquals(200, ignored.getStatus());
            assertEquals("{\"status\":\"ignored\"}", new ObjectMapper().writeValueAsString(ignored.getEntity()));

            Response ok = webhook.receive("testpost", signed(delivered, SECRET), delivered);
            assertEquals(200, ok.getStatus());
            assertEquals("{\"status\":\"applied\",\"shipment\":\"" + s.id() + "\",\"state\":\"DELIVERED\"}",
                    new ObjectMapper().writeValueAsString(ok.getEntity()));
            Shipment now = f.service.find(s.id()).orElseThrow();
            assertEquals(ShipmentState.DELIVERED, now.state());
            assertEquals(Optional.of("signed by E. L."), now.note());
            assertEquals(told + 1, f.told.calls.size());
            assertEquals(ShipmentState.SENT, f.told.calls.get(told).previous());
            assertEquals("carrier:testpost", f.records("shipment.delivered").get(0).actor());

            assertEquals(200, webhook.receive("testpost", signed(delivered, SECRET), delivered).getStatus(),
                    "the same report again changes nothing");
            byte[] lost = body("TP000123", "LOST");
            assertEquals(409, assertThrows(ApiException.class,
                    () -> webhook.receive("testpost", signed(lost, SECRET), lost)).status(), "delivered is final");
            assertEquals(told + 1, f.told.calls.size());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void thePollJobAsksTheCarrierAboutLettersSentEveryPollInterval(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            TestPost post = new TestPost(SECRET);
            f.settings.set(testpost(30));
            Order o = f.submitToken("fr");
            Shipment a = f.service.move(f.service.prepare(o.id(), "SN-A", "api:op").id(), ShipmentState.SENT,
                    "TPA0001", null, "api:op");
            Shipment b = f.service.move(f.service.prepare(o.id(), "SN-B", "api:op").id(), ShipmentState.SENT,
                    "TPB0001", null, "api:op");
            f.settings.set(MailSettings.DEFAULTS);
            Shipment manual = f.service.move(f.service.prepare(o.id(), "SN-M", "api:op").id(), ShipmentState.SENT,
                    "1A0000000001", null, "api:op");
            f.settings.set(testpost(30));
            f.service.prepare(o.id(), "SN-P", "api:op");
            assertEquals(0, f.service.poll(10), "no carrier installed: nothing to ask");

            f.carriers.add(post);
            post.tracked.put("TPA0001", new CarrierEvent("TPA0001", ShipmentState.DELIVERED, "avis signé"));
            assertEquals(2, f.service.poll(10), "both testpost letters sent; not the manual one nor the prepared");
            assertEquals(2, post.asked.get());
            assertEquals(ShipmentState.DELIVERED, f.service.find(a.id()).orElseThrow().state());
            assertEquals(ShipmentState.SENT, f.service.find(b.id()).orElseThrow().state());
            assertEquals(ShipmentState.SENT, f.service.find(manual.id()).orElseThrow().state());
            assertEquals(a.id(), f.told.calls.get(f.told.calls.size() - 1).shipment().id());

            assertEquals(0, f.service.poll(10), "b was asked less than 30 minutes ago");
            f.clock.advance(Duration.ofMinutes(31));
            post.tracked.put("TPB0001", new CarrierEvent("TPB0001", ShipmentState.RETURNED, "non réclamé"));
            assertEquals(1, f.service.poll(10));
            Shipment returned = f.service.find(b.id()).orElseThrow();
            assertEquals(ShipmentState.RETURNED, returned.state());
            assertEquals(Optional.of("non réclamé"), returned.note());
            assertEquals(3, post.asked.get());
            f.clock.advance(Duration.ofHours(2));
            assertEquals(0, f.service.poll(10), "final letters are never asked about");
        }
    }
}
