package io.cachet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.testing.Processes;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;
import io.cachet.signature.testing.TestPki;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;
import io.cachet.token.softhsm.launch.SoftHsmDrivers;

/**
 * {@code token provision} on a real SoftHSM2 (a temporary token directory; its always-present blank slot plays the
 * blank token) against {@link FakeDeliveryServer}, a stand-in for the server's REST interface. This tests the command
 * line's sequencing, the token side and what it prints; it does not test the server (the lead's integration tests run
 * the real CLI against the real io.cachet.delivery.token).
 */
class TokenProvisionCliTest {

    static TestPki pki;
    static FakeDeliveryServer server;
    static String module;
    static Pkcs11TokenDriver driver;
    static Path home;
    static Path apiKey;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        module = SoftHsmFixture.library();
        pki = TestPki.get();
        server = new FakeDeliveryServer(pki);
        driver = SoftHsmDrivers.open(module, 1, Duration.ofSeconds(10));
        home = Files.createTempDirectory("cachet-cli-provision");
        apiKey = Files.writeString(home.resolve("api-key"), FakeDeliveryServer.API_KEY + "\n");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        driver.close();
        try (var walk = Files.walk(home)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CachetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Run provision(String order, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("token", "provision", "--server", server.baseUrl,
                "--order", order, "--module", module, "--api-key-file", apiKey.toString()));
        args.addAll(List.of(more));
        return cli(args.toArray(String[]::new));
    }

    static TokenInfo token(String serial) {
        return driver.tokens().stream().filter(t -> t.serial().equals(serial)).findFirst()
                .orElseThrow(() -> new AssertionError("no token " + serial + " in " + driver.tokens()));
    }

    /** The PIN as a word of its own: serials and hex numbers in the output may contain its digits by chance. */
    static void assertNotShown(String pin, Run r) {
        assertFalse(Pattern.compile("(?<![0-9A-Za-z])" + pin + "(?![0-9A-Za-z])").matcher(r.all()).find(),
                "the initialisation PIN appeared in the output:\n" + r.all());
    }

    @Test
    void provisionsTheBlankTokenWithTheOrdersLabelAProtectedKeyAndTheCertificate() throws Exception {
        FakeDeliveryServer.Order order = server.order("ord-1001", "Cachet 1001");
        Run r = provision(order.id);
        assertEquals(0, r.exit(), r.all());
        assertEquals("PROVISIONED", order.stage, r.all());
        assertTrue(r.out().contains("shipment shp-ord-1001"), r.all());
        assertTrue(r.out().contains("cannot enforce"), "SoftHSM2's missing PIN policy is said: " + r.all());
        // the PIN was registered before the token held it, exactly once
        assertEquals(List.of("GET /token", "POST /provisioning", "POST /provisioning/initialised",
                "POST /provisioning/key", "POST /provisioning/csr", "POST /provisioning/written"), order.calls);

        TokenInfo info = token(order.serial);
        assertEquals("Cachet 1001", info.label());
        String pin = server.heldPin(order);
        assertTrue(pin.matches("[0-9]{4}"), pin);
        assertNotShown(pin, r);

        // the PIN the server holds opens the token; the key is protected; the certificate is on the token
        try (Token token = driver.login(order.serial, pin.toCharArray())) {
            TokenKey seal = token.keys().stream().filter(k -> k.alias().equals("seal")).findFirst().orElseThrow();
            assertTrue(seal.sensitive() && !seal.extractable() && seal.alwaysSensitive() && seal.neverExtractable(),
                    seal.toString());
            assertEquals(order.certificate, token.certificate("seal").orElseThrow());
            assertEquals(seal.publicKey(), order.certificate.getPublicKey());

            // the CSR: signed by the token key (proof of possession), carrying it, CN = the label
            PKCS10CertificationRequest csr;
            try (PEMParser p = new PEMParser(new StringReader(order.csr))) {
                csr = (PKCS10CertificationRequest) p.readObject();
            }
            assertTrue(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(FakeDeliveryServer.BC)
                    .build(seal.publicKey())));
            assertTrue(java.util.Arrays.equals(seal.publicKey().getEncoded(),
                    csr.getSubjectPublicKeyInfo().getEncoded()));
            assertEquals("Cachet 1001", csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue().toString());
        }

        // an independent reader of the token's attributes
        Processes.Result objects = Processes.run(dir, Duration.ofSeconds(60), "pkcs11-tool", "--module", module,
                "--token-label", "Cachet 1001", "--login", "--pin", pin, "-O");
        assertEquals(0, objects.exit(), objects.out());
        String privateKey = objects.out().substring(objects.out().indexOf("Private Key Object"));
        assertTrue(privateKey.contains("always sensitive") && privateKey.contains("never extractable"),
                objects.out());
        assertTrue(objects.out().contains("Certificate Object"), objects.out());
    }

    @Test
    void aStopAtTheCsrIsRecordedAndTheNextRunResumesWithThePinTheServerReturns() throws Exception {
        FakeDeliveryServer.Order order = server.order("ord-1002", "Cachet 1002");
        order.failCsr = 1;
        Run first = provision(order.id);
        assertEquals(1, first.exit(), first.all());
        assertTrue(first.err().contains("stopped at step 'csr'"), first.all());
        assertTrue(first.err().contains("the CA is unavailable"), "the server's reason is shown: " + first.all());
        assertTrue(first.err().contains("Run the same command again with the same token to resume"), first.all());
        assertEquals("csr: having the certificate issued: the server answered 503: the CA is unavailable; nothing"
                + " changed", order.lastError, "step 7 told the server where it stopped");
        assertEquals("KEY_GENERATED", order.stage);
        String serial = order.serial;
        String keyAfterFirst = order.publicKeyPem;
        String pin = server.heldPin(order);
        assertNotShown(pin, first);

        Run second = provision(order.id);
        assertEquals(0, second.exit(), second.all());
        assertTrue(second.out().contains("resuming at stage KEY_GENERATED"), second.all());
        assertTrue(order.lastStartAnswer.path("resume").asBoolean());
        assertTrue(order.lastStartAnswer.hasNonNull("pin"), "the PIN came back encrypted to the resume key");
        assertEquals(serial, order.serial, "the same token");
        assertEquals(1, order.count("POST /provisioning/initialised"), "not initialised again");
        assertEquals(keyAfterFirst, order.publicKeyPem, "the key made in the first run");
        assertTrue(order.discarded.isEmpty());
        assertEquals("PROVISIONED", order.stage);
        assertNotShown(pin, second);
        try (Token token = driver.login(serial, pin.toCharArray())) {
            assertEquals(order.certificate, token.certificate("seal").orElseThrow());
        }
    }

    @Test
    void aNewBlankTokenStartsOverAndTheServerDiscardsTheOldAttempt() {
        FakeDeliveryServer.Order order = server.order("ord-1005", "Cachet 1005");
        order.failCsr = 1;
        assertEquals(1, provision(order.id).exit());
        String old = order.serial;
        Run r = provision(order.id, "--slot", Long.toString(SoftHsmFixture.blank(driver).slotId()));
        assertEquals(0, r.exit(), r.all());
        assertEquals(List.of(old), order.discarded);
        assertEquals(2, order.attempt);
        assertFalse(old.equals(order.serial));
        assertEquals("PROVISIONED", order.stage);
        assertEquals("Cachet 1005", token(order.serial).label());
    }

    @Test
    void anInitialisedTokenIsRefusedWithoutReinitialiseAndNothingIsSent() throws Exception {
        TokenInfo other = driver.initialize(SoftHsmFixture.blank(driver).slotId(), "so-pin-other".toCharArray(),
                "user-pin-other".toCharArray(), "Someone else", PinPolicy.TOKEN_DEFAULT);
        FakeDeliveryServer.Order order = server.order("ord-1003", "Cachet 1003");
        Run r = provision(order.id, "--slot", Long.toString(other.slotId()));
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("is already initialised: refused"), r.all());
        assertTrue(r.err().contains("--reinitialise --so-pin-file"), r.all());
        assertEquals(List.of("GET /token"), order.calls, "provisioning did not start");
        try (Token token = driver.login(other.serial(), "user-pin-other".toCharArray())) {
            assertEquals("Someone else", token.info().label(), "untouched");
        }

        // with its SO PIN it is erased and provisioned (its serial stays: the PIN is registered first)
        Path so = Files.writeString(dir.resolve("so"), "so-pin-other\n");
        Run again = provision(order.id, "--slot", Long.toString(other.slotId()), "--reinitialise", "--so-pin-file",
                so.toString());
        assertEquals(0, again.exit(), again.all());
        assertEquals(other.serial(), order.serial);
        assertEquals("Cachet 1003", token(other.serial()).label());
        TokenException old = assertThrows(TokenException.class,
                () -> driver.login(other.serial(), "user-pin-other".toCharArray()).close());
        assertEquals(TokenException.Reason.WRONG_PIN, old.reason());
    }

    @Test
    void anUnknownOrderIsNamedWithTheServersAnswer() {
        Run r = provision("ord-nope");
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("404") && r.err().contains("no order ord-nope waits for a token"), r.all());
        assertNotNull(SoftHsmFixture.blank(driver), "the blank token was not touched");
    }

    @Test
    void theApiKeyIsNeeded() throws Exception {
        FakeDeliveryServer.Order order = server.order("ord-1004", "Cachet 1004");
        Path wrong = Files.writeString(dir.resolve("key"), "not-a-key\n");
        Run r = cli("token", "provision", "--server", server.baseUrl, "--order", order.id, "--module", module,
                "--api-key-file", wrong.toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("401") && r.err().contains("API key"), r.all());
        assertTrue(order.calls.isEmpty());
    }
}
