package io.cachet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;
import io.cachet.token.softhsm.launch.SoftHsmDrivers;

/**
 * {@code token activate} on a real SoftHSM2 token holding a seal key and its certificate, as a provisioned token
 * arrives: the holder's PIN rules, a wrong initialisation PIN, the change itself, then {@code sign} with the new PIN.
 * The activation report goes to {@link FakeDeliveryServer} (a stand-in for the server's public endpoint).
 */
class TokenActivateCliTest {

    static final String INIT_PIN = "4821";

    static TestPki pki;
    static FakeDeliveryServer server;
    static String module;
    static Pkcs11TokenDriver driver;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        module = SoftHsmFixture.library();
        pki = TestPki.get();
        server = new FakeDeliveryServer(pki);
        driver = SoftHsmDrivers.open(module, 1, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        server.close();
        driver.close();
    }

    /** A token as provisioning leaves it: labelled, the initialisation PIN, a certified seal key. */
    static TokenInfo provisioned(String label) {
        TokenInfo info = driver.initialize(SoftHsmFixture.blank(driver).slotId(), "so-pin-random".toCharArray(),
                INIT_PIN.toCharArray(), label, PinPolicy.TOKEN_DEFAULT);
        try (Token token = driver.login(info.serial(), INIT_PIN.toCharArray())) {
            pki.sealOn(token, KeyAlgorithm.EC_P256);
        }
        return info;
    }

    static TokenInfo now(TokenInfo t) {
        return driver.tokens().stream().filter(i -> i.serial().equals(t.serial())).findFirst().orElseThrow();
    }

    Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    TokenProvisionCliTest.Run activate(TokenInfo t, String initPin, String newPins, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("token", "activate", "--module", module, "--token",
                t.label(), "--pin-file", file("init", initPin + "\n").toString(), "--new-pin-file",
                file("new", newPins).toString()));
        args.addAll(List.of(more));
        return TokenProvisionCliTest.cli(args.toArray(String[]::new));
    }

    @Test
    void aWrongInitialisationPinIsRefusedWithWhatTheTokenTellsAboutTriesLeft() throws Exception {
        TokenInfo t = provisioned("Holder A");
        TokenProvisionCliTest.Run r = activate(t, "1357", "2580\n2580\n");
        assertEquals(1, r.exit(), r.all());
        // SoftHSM2 counts no tries and reports none (no retry limit, by design): the message says it does not know;
        // a SafeNet eToken reports them (PIN_TRIES_REPORTED) and the same line then gives the number
        assertTrue(r.out().contains("token 'Holder A', serial " + t.serial()), r.all());
        assertTrue(r.out().contains("it does not report how many PIN tries are left"), r.all());
        assertTrue(r.err().contains("the initialisation PIN is wrong: this token does not say how many tries are"
                + " left; nothing was changed"), r.all());
        assertTrue(now(t).has(TokenInfo.Flag.USER_PIN_COUNT_LOW), "SoftHSM2 marks a wrong PIN this way");
        driver.login(t.serial(), INIT_PIN.toCharArray()).close();
    }

    @Test
    void newPinsThatBreakThePolicyAreRefusedBeforeTheTokenIsTouched() throws Exception {
        TokenInfo t = provisioned("Holder B");
        // the initialisation PIN typed here is wrong: had the token been asked, it would say so (and flag it)
        String typed = "9753";
        Map<String, String> refusals = Map.of(
                "12\n", "must have 4 to 16 digits, not 2",
                "1111\n", "too easy to guess",
                "1234\n", "too easy to guess",
                "9753\n", "must not be the initialisation PIN",
                "2580\n2581\n", "the two new PINs differ");
        for (Map.Entry<String, String> e : refusals.entrySet()) {
            TokenProvisionCliTest.Run r = activate(t, typed, e.getKey());
            assertEquals(2, r.exit(), e.getKey() + r.all());
            assertTrue(r.err().contains(e.getValue()), e.getKey() + r.all());
        }
        assertFalse(now(t).has(TokenInfo.Flag.USER_PIN_COUNT_LOW), "no PIN was tried on the token");
        TokenProvisionCliTest.Run longer = activate(t, INIT_PIN, "2580\n", "--min-length", "6");
        assertEquals(2, longer.exit(), longer.all());
        assertTrue(longer.err().contains("must have 6 to 16 digits"), longer.all());
        driver.login(t.serial(), INIT_PIN.toCharArray()).close();
    }

    @Test
    void activationReplacesThePinReportsItAndSignWorksWithTheNewPin() throws Exception {
        TokenInfo t = provisioned("Holder C");
        FakeDeliveryServer.Order order = server.order("ord-2001", "Holder C");
        order.serial = t.serial();
        order.statusLink = server.baseUrl + "/order/status/st-2001";
        TokenProvisionCliTest.Run r = activate(t, INIT_PIN, "2580\n2580\n", "--link", order.statusLink);
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("reported to Cachet: the order is ACTIVE"), r.all());
        assertTrue(order.activated);
        assertFalse(r.all().contains("2580"), "the new PIN is not shown");

        TokenException old = assertThrows(TokenException.class,
                () -> driver.login(t.serial(), INIT_PIN.toCharArray()).close());
        assertEquals(TokenException.Reason.WRONG_PIN, old.reason(), "the initialisation PIN opens it no more");
        driver.login(t.serial(), "2580".toCharArray()).close();

        Path in = Pdfs.pages(dir.resolve("letter.pdf"), 1);
        Path out = dir.resolve("letter-signed.pdf");
        TokenProvisionCliTest.Run signed = TokenProvisionCliTest.cli("sign", "--in", in.toString(), "--out",
                out.toString(), "--key", "pkcs11:token=Holder%20C", "--module", module, "--pin-file",
                file("holder-pin", "2580\n").toString());
        assertEquals(0, signed.exit(), signed.all());
        assertEquals(0, Tools.pdfsigValid(out, 1), "level B: no document time-stamp");
    }

    @Test
    void aLinkWithoutServerAndNoTokenAreSaidClearly() throws Exception {
        TokenProvisionCliTest.Run r = TokenProvisionCliTest.cli("token", "activate", "--module", module, "--token",
                "Nobody", "--link", "st-only-a-token", "--pin-file", file("p", "1\n").toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("names no server"), r.all());
        TokenProvisionCliTest.Run none = TokenProvisionCliTest.cli("token", "activate", "--module", module,
                "--token", "Nobody", "--pin-file", file("p2", "1\n").toString());
        assertEquals(2, none.exit(), none.all());
        assertTrue(none.err().contains("no token labelled 'Nobody'"), none.all());
    }
}
