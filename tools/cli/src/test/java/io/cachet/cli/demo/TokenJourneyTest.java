package io.cachet.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.token.Token;
import io.cachet.cli.FakeDeliveryServer;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;
import io.cachet.token.softhsm.launch.SoftHsmDrivers;

/**
 * The demo's token media path from ISSUANCE to ACTIVE on a real SoftHSM2 blank token, against
 * {@link FakeDeliveryServer}: a stand-in for the server's REST interface, outbox and PIN pages that tests the demo's
 * sequencing, its summary and the signing with the token (the real server's pages and REST are the lead's
 * integration tests' business). Also how the PIN is read from a page.
 */
class TokenJourneyTest {

    @TempDir
    Path dir;

    @Test
    void aTokenOrderGoesFromIssuanceToActiveAndSignsWithTheHoldersPin() throws Exception {
        String module = SoftHsmFixture.library();
        TestPki pki = TestPki.get();
        SecureRandom random = new SecureRandom();
        SampleData data = SampleData.fresh(random);
        try (FakeDeliveryServer server = new FakeDeliveryServer(pki)) {
            FakeDeliveryServer.Order order = server.order("ord-3001", "Cachet 3001");
            order.managerEmail = data.manager().email();
            order.managerMobile = data.manager().mobile();
            order.statusLink = server.baseUrl + "/order/status/st-3001";
            StringWriter progress = new StringWriter();
            Journey journey = new Journey(new Http(URI.create(server.baseUrl + "/"), FakeDeliveryServer.API_KEY),
                    new Journey.Options("usb-a", "en", dir, null, Duration.ofSeconds(30), Duration.ofMillis(50),
                            module, io.cachet.cli.DemoSigning::signAndCheck), new PrintWriter(progress, true), data,
                    random);
            try {
                new TokenJourney(journey, order.id).run();
            } catch (DemoException e) {
                throw new AssertionError(e.getMessage() + "\n" + progress + "\ncalls: " + order.calls, e);
            }
            journey.summary().write(dir);

            assertEquals("PROVISIONED", order.stage, progress.toString());
            assertTrue(order.activated, progress.toString());
            assertEquals(List.of("SENT DEMO" + data.run().toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]",
                    ""), "DELIVERED "), order.shipmentStates);
            JsonNode summary = Http.JSON.readTree(dir.resolve("summary.json").toFile());
            assertEquals("ACTIVE", summary.path("state").asText(), summary.toPrettyString());
            assertTrue(summary.path("complete").asBoolean());
            assertEquals("Cachet 3001", summary.path("tokenLabel").asText());
            assertEquals(order.serial, summary.path("tokenSerial").asText());
            assertEquals(server.heldPin(order), summary.path("initPin").asText(), "the PIN read from the page");
            String holderPin = summary.path("holderPin").asText();
            assertTrue(holderPin.matches("[0-9]{6}"), holderPin);
            assertEquals("signed-document.pdf", summary.path("signedDocument").asText());
            Tools.pdfsigValid(dir.resolve("signed-document.pdf"), 1);
            try (Pkcs11TokenDriver driver = SoftHsmDrivers.open(module, 1, Duration.ofSeconds(10));
                    Token token = driver.login(order.serial, holderPin.toCharArray())) {
                assertEquals(order.certificate, token.certificate("seal").orElseThrow());
            }
            assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().startsWith("holder-pin")),
                    "the PIN file given to sign is gone");
        }
    }

    @Test
    void thePinIsReadFromTheElementThatShowsIt() {
        assertEquals("4821", new String(TokenJourney.revealedPin("<p>On 3 Dec 2026</p><p class=\"token-pin\">4821"
                + "</p>", 4).orElseThrow()));
        assertEquals("6203", new String(TokenJourney.revealedPin("<p><strong>1200</strong> tries</p><h2 id=\"pin-h\">"
                + "Shown once</h2><p class=\"token-pin\" id=\"pin\"><strong>6203</strong></p><p><strong>Take"
                + " care</strong></p>", 4).orElseThrow()), "marked element first, with the digits in bold");
        assertEquals("0815", new String(TokenJourney.revealedPin("<div data-role=\"pin\">0 8 1 5</div>", 4)
                .orElseThrow()));
        assertEquals("0815", new String(TokenJourney.revealedPin("<p>Year 2026</p><strong>0815</strong>", 4)
                .orElseThrow()));
        assertEquals("7301", new String(TokenJourney.revealedPin("<p>Your PIN: 7301</p>", 4).orElseThrow()));
        assertTrue(TokenJourney.revealedPin("<p>2026: your PIN is 7301</p>", 4).isEmpty(), "ambiguous");
    }
}
