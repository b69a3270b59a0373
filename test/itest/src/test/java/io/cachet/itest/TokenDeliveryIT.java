package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.testing.Processes;

/**
 * Token delivery end to end with the shipped command line over HTTP, SoftHSM2 playing the customer's USB token (a
 * free, uninitialised SoftHSM2 slot is a blank token): {@code cachet-cli demo --medium usb-a --pkcs11-module} takes an
 * order from nothing to ACTIVE — provisioning on the token, registered letter sent and delivered, the initialisation
 * PIN revealed once with an SMS code on the management page, activation with the holder's own PIN, a PDF signed with
 * the token; then {@code pdfsig} checks the signature and {@code pkcs11-tool} that the key never left the token and
 * that the initialisation PIN no longer opens it. A second order's provisioning is killed ({@code kill -9}) between
 * key generation and certificate write, then resumed on the same token; its letter is then lost, which revokes the
 * certificate, and a new token gets a new one.
 *
 * <p>SoftHSM2 reads {@code SOFTHSM2_CONF} (set by Surefire for the whole run, see the pom): this test writes that
 * file with a token directory of its own before the command lines (which inherit the variable) start.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TokenDeliveryIT {

    static final String MODULE = "/usr/lib/softhsm/libsofthsm2.so";

    private static String officerKey;
    private static String secondKey;
    private static Path keyFile;

    @Inject
    BundleContext context;

    Probe probe;
    String admin;

    @Configuration
    public Option[] config() throws Exception {
        softHsm();
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-tokendelivery-"),
                Map.of("ds.lock.timeout.milliseconds", "60000"));
    }

    /** A SoftHSM2 configuration with a token directory of this test's own (the command lines inherit it). */
    static void softHsm() throws Exception {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null || conf.isBlank()) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: run the integration tests with Maven");
        }
        if (!Files.isRegularFile(Path.of(MODULE))) {
            throw new IllegalStateException("SoftHSM2 is not installed (" + MODULE + "): apt-get install softhsm2");
        }
        Path tokens = Files.createTempDirectory("cachet-it-tokens-");
        Files.createDirectories(Path.of(conf).toAbsolutePath().getParent());
        Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
                + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
    }

    @Before
    public void ready() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        admin = probe.adminApiKey();
        if (officerKey == null) {
            OperatorDirectory directory = service(OperatorDirectory.class);
            officerKey = officer(directory, "token-olga", Set.of("operator", "ra-officer"));
            secondKey = officer(directory, "token-rita", Set.of("ra-officer"));
            keyFile = Files.createTempFile("cachet-it-operator-", ".key");
            Files.writeString(keyFile, officerKey + "\n");
        }
    }

    private String officer(OperatorDirectory directory, String login, Set<String> roles) {
        directory.createAccount(login, roles, "first-token-passphrase-31".toCharArray(), "operator:itest");
        probe.changePassword(login, "first-token-passphrase-31", "granite-token-passphrase-" + login.length());
        return directory.createApiKey(login, ApiKeyScope.OPERATOR, "token", null, "operator:itest").secret();
    }

    <T> T service(Class<T> type) {
        Probe.await("the service " + type.getSimpleName(), () -> context.getServiceReference(type) != null);
        return context.getService(context.getServiceReference(type));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String cli() {
        return Path.of(System.getProperty("cachet.itest.distribution"), "cachet-cli.jar").toString();
    }

    private JsonNode api(String path) {
        HttpResponse<String> r = probe.get(path, "Authorization", "Bearer " + admin);
        assertEquals(r.body(), 200, r.statusCode());
        return Probe.json(r);
    }

    private JsonNode post(String path, String body) {
        HttpResponse<String> r = probe.post(path, body, "Authorization", "Bearer " + officerKey, "Content-Type",
                "application/json");
        assertEquals(r.body(), 200, r.statusCode());
        return Probe.json(r);
    }

    /** The shipped demo against this server; its output and summary. */
    private JsonNode demo(Path out, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", cli(), "demo", "--server", probe.base(),
                "--api-key", officerKey, "--second-reviewer-key", secondKey, "--out", out.toString(), "--timeout",
                "180"));
        cmd.addAll(List.of(extra));
        Commands.Result r = Commands.run(out.getParent(), Duration.ofMinutes(12), cmd.toArray(String[]::new));
        assertEquals(r.out(), 0, r.exit());
        assertFalse(r.out(), r.out().contains("Exception"));
        return Probe.JSON.readTree(Files.readString(out.resolve("summary.json")));
    }

    private Commands.Result provision(Path dir, String order) {
        return Commands.run(dir, Duration.ofMinutes(5), java(), "-jar", cli(), "token", "provision", "--server",
                probe.base(), "--order", order, "--module", MODULE, "--api-key-file", keyFile.toString());
    }

    @Test
    public void aTokenOrderGoesFromOrderToActiveAndTheHolderSignsWithTheToken() throws Exception {
        Path out = Files.createTempDirectory("cachet-token-journey-").resolve("usb-a");
        JsonNode s = demo(out, "--medium", "usb-a", "--pkcs11-module", MODULE);
        assertEquals(s.toString(), "ACTIVE", s.path("state").asText());
        assertTrue(s.toString(), s.path("complete").asBoolean());
        String order = s.path("orderId").asText();
        String initPin = s.path("initPin").asText();
        String holderPin = s.path("holderPin").asText();
        assertTrue(initPin, initPin.matches("[0-9]{4}"));
        assertNotEquals(initPin, holderPin);

        // the server's view: active, the token recorded, the PIN revealed once, the letter delivered
        assertEquals("ACTIVE", api("/api/v1/orders/" + order).path("state").asText());
        JsonNode token = api("/api/v1/orders/" + order + "/token");
        assertEquals(token.toString(), "ACTIVATED", token.path("stage").asText());
        assertEquals(token.toString(), "REVEALED", token.path("pin").asText());
        assertEquals(s.path("tokenSerial").asText(), token.path("tokenSerial").asText());
        JsonNode shipments = api("/api/v1/orders/" + order + "/shipments");
        assertEquals(shipments.toString(), "DELIVERED", shipments.path("items").path(0).path("state").asText());
        JsonNode cert = api("/api/v1/orders/" + order + "/certificate");
        assertEquals("QSCD", cert.path("profile").asText());
        assertEquals(token.path("certificateSerial").asText(), cert.path("serial").asText());

        // the signed PDF is valid for poppler
        Path signed = out.resolve(s.path("signedDocument").asText());
        String pdfsig = Commands.ok(Commands.run(out, Duration.ofSeconds(60), "pdfsig", "-nocert", "-no-ocsp",
                signed.toString()));
        assertTrue(pdfsig, pdfsig.contains("Signature is Valid."));

        // OpenSC's pkcs11-tool: the private key never left the token; the holder's PIN opens it, the init PIN no more
        String label = s.path("tokenLabel").asText();
        String objects = Commands.ok(Commands.run(out, Duration.ofSeconds(60), "pkcs11-tool", "--module", MODULE,
                "--token-label", label, "--login", "--pin", holderPin, "--list-objects", "--type", "privkey"));
        assertTrue(objects, objects.contains("never extractable"));
        assertTrue(objects, objects.contains("always sensitive"));
        Commands.Result old = Commands.run(out, Duration.ofSeconds(60), "pkcs11-tool", "--module", MODULE,
                "--token-label", label, "--login", "--pin", initPin, "--list-objects", "--type", "privkey");
        assertNotEquals(old.out(), 0, old.exit());
        assertTrue(old.out(), old.out().contains("CKR_PIN_INCORRECT"));
    }

    @Test
    public void anInterruptedProvisioningResumesAndALostLetterRevokesItsCertificate() throws Exception {
        Path out = Files.createTempDirectory("cachet-token-resume-").resolve("usb-c");
        JsonNode s = demo(out, "--medium", "usb-c");
        String order = s.path("orderId").asText();
        assertEquals(s.toString(), "ISSUANCE", s.path("state").asText());
        Path dir = out.getParent();

        // killed (SIGKILL) after the key was made on the token and before its certificate was written
        try (Processes.Running cli = Processes.start(dir, List.of(java(), "-jar", cli(), "token", "provision",
                "--server", probe.base(), "--order", order, "--module", MODULE, "--api-key-file",
                keyFile.toString(), "--pause-after", "key"))) {
            cli.awaitReady(Duration.ofMinutes(3), () -> cli.output().contains("paused after key"));
        }
        JsonNode stopped = api("/api/v1/orders/" + order + "/token");
        assertEquals(stopped.toString(), "KEY_GENERATED", stopped.path("stage").asText());
        assertEquals("ISSUANCE", api("/api/v1/orders/" + order).path("state").asText());
        String serial = stopped.path("tokenSerial").asText();

        // again with the same token: resumed, not started over; the order moves to DELIVERY with one certificate
        Commands.Result resumed = provision(dir, order);
        assertEquals(resumed.out(), 0, resumed.exit());
        JsonNode done = api("/api/v1/orders/" + order + "/token");
        assertEquals(done.toString(), "PROVISIONED", done.path("stage").asText());
        assertEquals(1, done.path("attempt").asInt());
        assertEquals(serial, done.path("tokenSerial").asText());
        assertEquals("DELIVERY", api("/api/v1/orders/" + order).path("state").asText());
        String first = done.path("certificateSerial").asText();

        // the letter is lost: its certificate is revoked and the order goes back to the provisioning queue
        JsonNode shipment = api("/api/v1/orders/" + order + "/shipments").path("items").path(0);
        String id = shipment.path("id").asText();
        assertEquals("PREPARED", shipment.path("state").asText());
        post("/api/v1/shipments/" + id + "/state", "{\"state\":\"SENT\",\"trackingNumber\":\"1A00000000001\"}");
        post("/api/v1/shipments/" + id + "/state", "{\"state\":\"LOST\",\"note\":\"carrier lost it\"}");
        CertificateAuthority ca = service(CertificateAuthority.class);
        Probe.await("the lost token's certificate revoked", () -> ca.find(new BigInteger(first, 16)).orElseThrow()
                .revoked());
        // the certificate manager is told of the lost letter in the token delivery's words (a new token follows),
        // not with the notice of a revoked certificate they never had
        List<String> lostMail = new ArrayList<>();
        Probe.await("the lost letter e-mailed", () -> {
            lostMail.clear();
            api("/api/v1/outbox?channel=email&limit=500").path("messages").forEach(m -> {
                if (m.path("body").asText().contains(first)) {
                    lostMail.add(m.path("template").asText() + " to " + m.path("to").asText());
                }
            });
            return !lostMail.isEmpty();
        });
        String manager = api("/api/v1/orders/" + order).path("certificateManager").path("email").asText();
        assertEquals(List.of("tokendelivery.letter.lost to " + manager), lostMail);
        JsonNode reopened = api("/api/v1/orders/" + order + "/token");
        assertEquals(reopened.toString(), "WAITING", reopened.path("stage").asText());
        assertEquals(2, reopened.path("attempt").asInt());

        // a new blank token: a new certificate, the order still in DELIVERY, a new letter prepared
        Commands.Result again = provision(dir, order);
        assertEquals(again.out(), 0, again.exit());
        JsonNode second = api("/api/v1/orders/" + order + "/token");
        assertEquals(second.toString(), "PROVISIONED", second.path("stage").asText());
        assertNotEquals(serial, second.path("tokenSerial").asText());
        assertNotEquals(first, second.path("certificateSerial").asText());
        assertFalse(ca.find(new BigInteger(second.path("certificateSerial").asText(), 16)).orElseThrow().revoked());
        assertEquals(2, api("/api/v1/orders/" + order + "/shipments").path("items").size());
    }
}
