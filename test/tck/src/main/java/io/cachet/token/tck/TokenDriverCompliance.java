package io.cachet.token.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.osgi.annotation.versioning.ConsumerType;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenInfo.Flag;
import io.cachet.api.token.TokenKey;
import io.cachet.testing.pki.TokenCertificates;

/**
 * The compliance suite for a {@link TokenDriver}: every test a driver must pass to be used by Cachet.
 *
 * <p>A vendor extends this class in its own test sources and implements {@link #driver()} and
 * {@link #reconnect(TokenDriver)}; the other hooks have defaults. Tests of a {@link TokenCapability} the driver does
 * not declare in {@link TokenDriver#capabilities()} are <em>skipped</em> through a JUnit assumption whose message
 * says "not applicable", so a report shows them as skipped, never as passed.
 *
 * <p>Lifecycle: JUnit creates a new instance of the subclass for every test (and every parameterised
 * invocation). Within one test the suite calls {@link #driver()} once, lazily on first use (so a subclass may set
 * its driver up in its own {@code @BeforeEach}), and {@link #reconnect(TokenDriver)} at most once. A driver may be
 * fresh per test (a software token over a new {@code @TempDir}) or shared by the whole class (a PKCS#11 module that
 * can only be loaded once per process): each test initialises at most one token, the one at {@link #blankSlot()},
 * and assumes nothing about other tokens. The subclass releases what it created (in its own
 * {@code @AfterEach}/{@code @AfterAll}); the suite closes every {@link Token} it opens.
 *
 * <p>PIN hooks return a new array on each call: the suite wipes every array once the driver has returned, as
 * callers in Cachet do, so a driver that keeps a caller's array fails here.
 *
 * <p>The suite makes no timing assertions; the concurrency test only guards against a hang.
 */
@ConsumerType
public abstract class TokenDriverCompliance {

    private static final String ALIAS = "tck-key";
    private static final int THREADS = 8;
    private static final int SIGNATURES_PER_THREAD = 6;

    private TokenDriver current;

    /**
     * The driver under test, called once per test. Its token store must hold a blank token at
     * {@link #blankSlot()}.
     */
    protected abstract TokenDriver driver();

    /**
     * Re-creates the driver over the same tokens, as after a restart of Cachet or a reload of the PKCS#11 module:
     * release {@code previous} (close, unload) and return a new instance that finds the tokens and keys again.
     * A driver that truly cannot do this in one process aborts the test with
     * {@link org.junit.jupiter.api.Assumptions#abort(String)} and a reason.
     *
     * @param previous the driver the test used so far
     */
    protected abstract TokenDriver reconnect(TokenDriver previous);

    /**
     * Slot of the blank token a test initialises. The default is the first token {@link TokenDriver#tokens()}
     * lists without {@link Flag#INITIALIZED}. A vendor with a single physical token may return its slot: the
     * driver then re-initialises it with {@link #soPin()} in every test (and the blank-listing test is skipped).
     */
    protected long blankSlot() {
        return tested().tokens().stream()
                .filter(t -> !t.has(Flag.INITIALIZED))
                .mapToLong(TokenInfo::slotId)
                .findFirst()
                .orElseThrow(() -> new AssertionError("driver '" + tested().id() + "' lists no blank token; "
                        + "provide one or override blankSlot()"));
    }

    /** SO PIN the suite initialises tokens with (the current SO PIN where the driver re-initialises). */
    protected char[] soPin() {
        return "87654321".toCharArray();
    }

    /** User PIN set at initialisation. */
    protected char[] userPin() {
        return "135790".toCharArray();
    }

    /** User PIN the change-PIN tests switch to; differs from {@link #userPin()}. */
    protected char[] newUserPin() {
        return "246802".toCharArray();
    }

    /** A PIN that is not the user PIN (and meets the PIN rules). */
    protected char[] wrongUserPin() {
        return "999999".toCharArray();
    }

    /** Label of the initialised tokens (at most 32 characters, as PKCS#11 allows). */
    protected String label() {
        return "cachet-tck";
    }

    /**
     * Number of tries the suite demands in a {@link PinPolicy} when the driver declares
     * {@link TokenCapability#PIN_RETRY_LIMIT}; at least 3, within what the token accepts.
     */
    protected int policyTries() {
        return 3;
    }

    /** The driver this test works with: {@link #driver()} on first use, then what {@link #reconnect} returned. */
    protected final TokenDriver tested() {
        if (current == null) {
            current = driver();
            assertNotNull(current, "driver() returned null");
        }
        return current;
    }

    // ---------------------------------------------------------------------------------------------- listing

    @Test
    @DisplayName("identifies itself and declares its capabilities")
    void identifiesItself() {
        String id = tested().id();
        assertNotNull(id, "id()");
        assertFalse(id.isBlank(), "id() must not be blank");
        assertNotNull(tested().capabilities(), "capabilities()");
    }

    @Test
    @DisplayName("lists the blank token")
    void listsBlankToken() {
        long slot = blankSlot();
        TokenInfo blank = listedAt(slot);
        assumeFalse(blank.has(Flag.INITIALIZED),
                "not applicable: blankSlot() is an initialised token that the driver re-initialises");
        assertTrue(blank.label() == null || blank.label().isBlank(), "a blank token has no label: " + blank.label());
    }

    // ------------------------------------------------------------------------------------ initialising, PINs

    @Test
    @DisplayName("initialises a token with label, SO PIN and user PIN")
    void initialisesToken() {
        TokenInfo info = initialise(PinPolicy.TOKEN_DEFAULT);
        assertEquals(label(), info.label(), "label");
        assertNotNull(info.serial(), "serial");
        assertFalse(info.serial().isBlank(), "an initialised token has a serial");
        assertTrue(info.has(Flag.INITIALIZED), "INITIALIZED flag: " + info.flags());
        assertTrue(info.has(Flag.USER_PIN_INITIALIZED), "USER_PIN_INITIALIZED flag: " + info.flags());
        assertFalse(info.has(Flag.USER_PIN_LOCKED), "a new PIN is not locked");

        TokenInfo listed = listed(info.serial());
        assertEquals(label(), listed.label(), "label as listed");
        assertTrue(listed.has(Flag.INITIALIZED), "listed with INITIALIZED: " + listed.flags());
    }

    @Test
    @DisplayName("logs in with the right PIN")
    void logsInWithRightPin() {
        TokenInfo info = initialise(PinPolicy.TOKEN_DEFAULT);
        try (Token token = login(info.serial(), userPin())) {
            assertEquals(info.serial(), token.info().serial(), "serial of the logged-in token");
            assertFalse(token.info().has(Flag.USER_PIN_TO_BE_CHANGED), "no change demanded by the default policy");
            assertTrue(token.keys().isEmpty(), "a new token holds no keys: " + token.keys());
        }
    }

    @Test
    @DisplayName("refuses a wrong PIN with WRONG_PIN (tries left decreasing where reported)")
    void refusesWrongPin() {
        TokenInfo info = initialise(limitedTriesPolicy());
        TokenException first = expect(Reason.WRONG_PIN, () -> login(info.serial(), wrongUserPin()).close());
        TokenException second = expect(Reason.WRONG_PIN, () -> login(info.serial(), wrongUserPin()).close());
        if (declares(TokenCapability.PIN_TRIES_REPORTED)) {
            assertTrue(first.triesLeft().isPresent(), "PIN_TRIES_REPORTED: WRONG_PIN carries the tries left");
            assertTrue(second.triesLeft().isPresent(), "PIN_TRIES_REPORTED: WRONG_PIN carries the tries left");
            assertTrue(second.triesLeft().getAsInt() < first.triesLeft().getAsInt(),
                    "tries left decrease: " + first.triesLeft() + " then " + second.triesLeft());
        }
        try (Token token = login(info.serial(), userPin())) {
            assertEquals(info.serial(), token.info().serial());
        }
    }

    @Test
    @DisplayName("locks the PIN after the policy's tries (PIN_RETRY_LIMIT)")
    void locksAfterPolicyTries() {
        requires(TokenCapability.PIN_RETRY_LIMIT);
        int tries = triesForPolicy();
        TokenInfo info = initialise(limitedTriesPolicy());
        for (int i = 1; i < tries; i++) {
            expect(Reason.WRONG_PIN, () -> login(info.serial(), wrongUserPin()).close());
        }
        TokenException last = assertThrows(TokenException.class, () -> login(info.serial(), wrongUserPin()).close());
        assertTrue(last.reason() == Reason.WRONG_PIN || last.reason() == Reason.PIN_LOCKED,
                "the last try gives WRONG_PIN or PIN_LOCKED, not " + last.reason() + ": " + last.getMessage());
        expect(Reason.PIN_LOCKED, () -> login(info.serial(), userPin()).close());
        assertTrue(listed(info.serial()).has(Flag.USER_PIN_LOCKED), "listed with USER_PIN_LOCKED");
    }

    @Test
    @DisplayName("a successful login resets the count of wrong tries (PIN_RETRY_LIMIT)")
    void successfulLoginResetsTries() {
        requires(TokenCapability.PIN_RETRY_LIMIT);
        int tries = triesForPolicy();
        TokenInfo info = initialise(limitedTriesPolicy());
        for (int round = 0; round < 2; round++) {
            for (int i = 1; i < tries; i++) {
                expect(Reason.WRONG_PIN, () -> login(info.serial(), wrongUserPin()).close());
            }
            login(info.serial(), userPin()).close();
        }
    }

    @Test
    @DisplayName("demands a PIN change after a qualified-seal initialisation (PIN_MUST_CHANGE)")
    void demandsPinChange() {
        requires(TokenCapability.PIN_MUST_CHANGE);
        boolean limit = declares(TokenCapability.PIN_RETRY_LIMIT);
        boolean noUnblock = declares(TokenCapability.SO_UNBLOCK_DISABLE);
        PinPolicy policy = limit && noUnblock ? PinPolicy.qualifiedSeal(triesForPolicy())
                : new PinPolicy(limit ? OptionalInt.of(triesForPolicy()) : OptionalInt.empty(), true, !noUnblock, 4);
        TokenInfo info = initialise(policy);
        try (Token token = login(info.serial(), userPin())) {
            assertTrue(token.info().has(Flag.USER_PIN_TO_BE_CHANGED),
                    "USER_PIN_TO_BE_CHANGED after initialisation with " + policy + ": " + token.info().flags());
            changePin(token, userPin(), newUserPin());
            assertFalse(token.info().has(Flag.USER_PIN_TO_BE_CHANGED), "flag cleared by the change");
        }
        try (Token token = login(info.serial(), newUserPin())) {
            assertFalse(token.info().has(Flag.USER_PIN_TO_BE_CHANGED), "flag stays cleared at the next login");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TokenCapability.class, names = {"PIN_RETRY_LIMIT", "PIN_MUST_CHANGE", "SO_UNBLOCK_DISABLE"})
    @DisplayName("a PIN policy demand is honoured when declared, refused with UNSUPPORTED when not")
    void policyDemand(TokenCapability capability) {
        PinPolicy demand = switch (capability) {
            case PIN_RETRY_LIMIT -> new PinPolicy(OptionalInt.of(triesForPolicy()), false, true, 4);
            case PIN_MUST_CHANGE -> new PinPolicy(OptionalInt.empty(), true, true, 4);
            case SO_UNBLOCK_DISABLE -> new PinPolicy(OptionalInt.empty(), false, false, 4);
            default -> throw new IllegalArgumentException(capability.name());
        };
        if (declares(capability)) {
            TokenInfo info = initialise(demand);
            try (Token token = login(info.serial(), userPin())) {
                assertEquals(demand.mustChangeAtFirstUse(), token.info().has(Flag.USER_PIN_TO_BE_CHANGED),
                        "USER_PIN_TO_BE_CHANGED as demanded: " + token.info().flags());
            }
        } else {
            long slot = blankSlot();
            Set<Flag> before = listedAt(slot).flags();
            expect(Reason.UNSUPPORTED, () -> initialise(slot, demand));
            assertEquals(before, listedAt(slot).flags(), "a refused initialisation leaves the token as it was");
        }
    }

    @Test
    @DisplayName("changes the PIN: the new one logs in, the old one is refused")
    void changesPin() {
        TokenInfo info = initialise(PinPolicy.TOKEN_DEFAULT);
        try (Token token = login(info.serial(), userPin())) {
            changePin(token, userPin(), newUserPin());
        }
        expect(Reason.WRONG_PIN, () -> login(info.serial(), userPin()).close());
        try (Token token = login(info.serial(), newUserPin())) {
            assertEquals(info.serial(), token.info().serial());
        }
    }

    @Test
    @DisplayName("refuses a PIN change with a wrong current PIN")
    void refusesPinChangeWithWrongPin() {
        TokenInfo info = initialise(PinPolicy.TOKEN_DEFAULT);
        try (Token token = login(info.serial(), userPin())) {
            expect(Reason.WRONG_PIN, () -> changePin(token, wrongUserPin(), newUserPin()));
        }
        login(info.serial(), userPin()).close();
    }

    // ------------------------------------------------------------------------------------------------- keys

    @ParameterizedTest(name = "{0}")
    @EnumSource(KeyAlgorithm.class)
    @DisplayName("generates a protected key pair")
    void generatesKeyPair(KeyAlgorithm algorithm) {
        if (algorithm == KeyAlgorithm.RSA_4096) {
            requires(TokenCapability.RSA_4096);
        } else if (algorithm == KeyAlgorithm.EC_P384) {
            requires(TokenCapability.EC_P384);
        }
        TokenInfo info = initialise(PinPolicy.TOKEN_DEFAULT);
        try (Token token = login(info.serial(), userPin())) {
            TokenKey key = token.generateKeyPair(ALIAS, algorithm);
            assertEquals(ALIAS, key.alias(), "alias");
            assertEquals(algorithm, key.algorithm(), "algorithm as read back");
            assertEquals(algorithm.bits(), bits(key.publicKey()), "size of the public key");
            assertProtected(key);

            List<TokenKey> keys = token.keys();
            assertEquals(1, keys.size(), "keys(): " + keys);
            TokenKey listed = keys.get(0);
            assertEquals(ALIAS, listed.alias());
            assertEquals(algorithm, listed.algorithm());
            assertArrayEquals(key.publicKey().getEncoded(), listed.publicKey().getEncoded(), "listed public key");
            assertProtected(listed);

            SignatureAlgorithm signature = "RSA".equals(algorithm.family()) ? SignatureAlgorithm.RSA_PKCS1_SHA256
                    : SignatureAlgorithm.ECDSA_SHA256;
            byte[] message = message("generated " + algorithm);
            assertTrue(verifies(key.publicKey(), signature, message, token.sign(ALIAS, signature, message)),
                    "the new key signs");
        }
    }

    @Test
    @DisplayName("refuses a duplicate alias with ALREADY_EXISTS")
    void refusesDuplicateAlias() {
        TokenInfo info = initialise(PinPolicy.TOKEN_DEFAULT);
        try (Token token = login(info.serial(), userPin())) {
            TokenKey first = token.generateKeyPair(ALIAS, KeyAlgorithm.EC_P256);
            expect(Reason.ALREADY_EXISTS, () -> token.generateKeyPair(ALIAS, KeyAlgorithm.EC_P256));
            expect(Reason.ALREADY_EXISTS, () -> token.generateKeyPair(ALIAS, KeyAlgorithm.RSA_2048));
            List<TokenKey> keys = token.keys();
            assertEquals(1, keys.size(), "keys(): " + keys);
            assertArrayEquals(first.publicKey().getEncoded(), keys.get(0).publicKey().getEncoded(),
                    "the first key pair is kept");
        }
    }

    @Test
    @DisplayName("stores and returns a certificate next to its key pair")
    void storesCertificate() throws GeneralSecurityException {
        TokenInfo info = initialise(PinPolicy.TOKEN_DEFAULT);
        try (Token token = login(info.serial(), userPin())) {
            TokenKey key = token.generateKeyPair(ALIAS, KeyAlgorithm.EC_P256);
            assertEquals(Optional.empty(), token.certificate(ALIAS), "no certificate before the import");
            X509Certificate certificate = TokenCertificates.selfSigned(token, ALIAS, key.publicKey(),
                    SignatureAlgorithm.ECDSA_SHA256, "CN=Cachet TCK");
            certificate.verify(key.publicKey());
            token.importCertificate(ALIAS, certificate);
            assertEquals(Optional.of(certificate), token.certificate(ALIAS), "certificate as stored");
        }
    }

    // -------------------------------------------------------------------------------------------- signing

    @ParameterizedTest(name = "{0}")
    @EnumSource(SignatureAlgorithm.class)
    @DisplayName("signs a message; the JCA verifies the signature")
    void signs(SignatureAlgorithm algorithm) {
        requiresSupport(algorithm);
        TokenInfo info = initialise(PinPolicy.TOKEN_DEFAULT);
        try (Token token = login(info.serial(), userPin())) {
            TokenKey key = token.generateKeyPair(ALIAS, keyFor(algorithm));
            byte[] message = message("sign " + algorithm);
            byte[] signature = token.sign(ALIAS, algorithm, message);
            assertTrue(verifies(key.publicKey(), algorithm, message, signature), algorithm + " signature verifies");
            assertFalse(verifies(key.publicKey(), algorithm, message("another message"), signature),
                    "the signature does not verify for another message");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SignatureAlgorithm.class)
    @DisplayName("signs a digest; the JCA verifies it as a signature over the message")
    void signsDigest(SignatureAlgorithm algorithm) throws GeneralSecurityException {
        requiresSupport(algorithm);
        TokenInfo info = initialise(PinPolicy.TOKEN_DEFAULT);
        try (Token token = login(info.serial(), userPin())) {
            TokenKey key = token.generateKeyPair(ALIAS, keyFor(algorithm));
            byte[] message = message("sign digest " + algorithm);
            byte[] digest = MessageDigest.getInstance(algorithm.hash()).digest(message);
            byte[] signature = token.signDigest(ALIAS, algorithm, digest);
            assertTrue(verifies(key.publicKey(), algorithm, message, signature),
                    algorithm + " signature over the digest verifies over the message");
            if (!algorithm.pss() && "RSA".equals(algorithm.keyFamily())) {
                assertArrayEquals(token.sign(ALIAS, algorithm, message), signature,
                        "PKCS#1 v1.5 is deterministic: signDigest equals sign over the same message");
            }
        }
    }

    @Test
    @DisplayName("signs from 8 threads at once; every signature verifies")
    void signsConcurrently() throws InterruptedException {
        TokenInfo info = initialise(PinPolicy.TOKEN_DEFAULT);
        try (Token token = login(info.serial(), userPin())) {
            TokenKey rsa = token.generateKeyPair("tck-rsa", KeyAlgorithm.RSA_2048);
            TokenKey ec = token.generateKeyPair("tck-ec", KeyAlgorithm.EC_P256);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<String>>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        List<String> failures = new ArrayList<>();
                        for (int i = 0; i < SIGNATURES_PER_THREAD; i++) {
                            boolean useRsa = (thread + i) % 2 == 0;
                            TokenKey key = useRsa ? rsa : ec;
                            SignatureAlgorithm algorithm = useRsa ? SignatureAlgorithm.RSA_PKCS1_SHA256
                                    : SignatureAlgorithm.ECDSA_SHA256;
                            byte[] message = message("thread " + thread + " signature " + i);
                            if (!verifies(key.publicKey(), algorithm, message,
                                    token.sign(key.alias(), algorithm, message))) {
                                failures.add("thread " + thread + " signature " + i + " (" + algorithm + ")");
                            }
                        }
                        return failures;
                    }));
                }
                start.countDown();
                List<String> failures = new ArrayList<>();
                for (Future<List<String>> result : results) {
                    failures.addAll(resultOf(result));
                }
                assertEquals(List.of(), failures, "signatures that do not verify");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ errors

    @Test
    @DisplayName("refuses an unknown serial with NOT_FOUND")
    void refusesUnknownSerial() {
        tested();
        expect(Reason.NOT_FOUND, () -> login("tck-no-such-serial", userPin()).close());
    }

    @Test
    @DisplayName("refuses an unknown key alias with NOT_FOUND")
    void refusesUnknownAlias() {
        TokenInfo info = initialise(PinPolicy.TOKEN_DEFAULT);
        try (Token token = login(info.serial(), userPin())) {
            expect(Reason.NOT_FOUND, () -> token.sign("tck-no-such-key", SignatureAlgorithm.ECDSA_SHA256,
                    message("no key")));
        }
    }

    @Test
    @DisplayName("refuses every use of a closed token with CLOSED; close is idempotent")
    void refusesClosedToken() {
        TokenInfo info = initialise(PinPolicy.TOKEN_DEFAULT);
        Token token = login(info.serial(), userPin());
        token.generateKeyPair(ALIAS, KeyAlgorithm.EC_P256);
        token.close();
        token.close();
        expect(Reason.CLOSED, token::info);
        expect(Reason.CLOSED, token::keys);
        expect(Reason.CLOSED, () -> token.certificate(ALIAS));
        expect(Reason.CLOSED, () -> token.sign(ALIAS, SignatureAlgorithm.ECDSA_SHA256, message("closed")));
        expect(Reason.CLOSED, () -> token.generateKeyPair("tck-other", KeyAlgorithm.EC_P256));
        expect(Reason.CLOSED, () -> changePin(token, userPin(), newUserPin()));
    }

    // --------------------------------------------------------------------------------------------- reconnect

    @Test
    @DisplayName("finds the token and its keys again after the driver is re-created")
    void survivesReconnect() {
        TokenInfo info = initialise(PinPolicy.TOKEN_DEFAULT);
        TokenKey rsa;
        TokenKey ec;
        try (Token token = login(info.serial(), userPin())) {
            rsa = token.generateKeyPair("tck-rsa", KeyAlgorithm.RSA_2048);
            ec = token.generateKeyPair("tck-ec", KeyAlgorithm.EC_P256);
        }
        TokenDriver previous = tested();
        current = reconnect(previous);
        assertNotNull(current, "reconnect() returned null");

        assertEquals(label(), listed(info.serial()).label(), "token listed again with its label");
        try (Token token = login(info.serial(), userPin())) {
            for (TokenKey before : List.of(rsa, ec)) {
                TokenKey after = token.keys().stream().filter(k -> k.alias().equals(before.alias())).findFirst()
                        .orElseThrow(() -> new AssertionError("key " + before.alias() + " lost by the reconnect"));
                assertArrayEquals(before.publicKey().getEncoded(), after.publicKey().getEncoded(),
                        "public key of " + before.alias());
                assertProtected(after);
                SignatureAlgorithm algorithm = before == rsa ? SignatureAlgorithm.RSA_PKCS1_SHA256
                        : SignatureAlgorithm.ECDSA_SHA256;
                byte[] message = message("after reconnect");
                assertTrue(verifies(before.publicKey(), algorithm, message,
                        token.sign(before.alias(), algorithm, message)), "signs after the reconnect");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private boolean declares(TokenCapability capability) {
        return tested().capabilities().contains(capability);
    }

    private void requires(TokenCapability capability) {
        assumeTrue(declares(capability), () -> "not applicable: driver '" + tested().id() + "' does not declare "
                + capability);
    }

    private void requiresSupport(SignatureAlgorithm algorithm) {
        if (algorithm.pss()) {
            requires(TokenCapability.RSA_PSS);
        }
    }

    private int triesForPolicy() {
        int tries = policyTries();
        assertTrue(tries >= 3, "policyTries() must be 3 or more, not " + tries);
        return tries;
    }

    /** Limited tries where the driver declares them, the token's default otherwise. */
    private PinPolicy limitedTriesPolicy() {
        return declares(TokenCapability.PIN_RETRY_LIMIT)
                ? new PinPolicy(OptionalInt.of(triesForPolicy()), false, true, 4)
                : PinPolicy.TOKEN_DEFAULT;
    }

    private TokenInfo initialise(PinPolicy policy) {
        return initialise(blankSlot(), policy);
    }

    private TokenInfo initialise(long slot, PinPolicy policy) {
        char[] so = soPin();
        char[] user = userPin();
        try {
            TokenInfo info = tested().initialize(slot, so, user, label(), policy);
            assertNotNull(info, "initialize() returned null");
            return info;
        } finally {
            Arrays.fill(so, '\0');
            Arrays.fill(user, '\0');
        }
    }

    /** Logs in with {@code pin} and wipes it. */
    private Token login(String serial, char[] pin) {
        try {
            Token token = tested().login(serial, pin);
            assertNotNull(token, "login() returned null");
            return token;
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private static void changePin(Token token, char[] currentPin, char[] newPin) {
        try {
            token.changePin(currentPin, newPin);
        } finally {
            Arrays.fill(currentPin, '\0');
            Arrays.fill(newPin, '\0');
        }
    }

    private TokenInfo listed(String serial) {
        return tested().tokens().stream().filter(t -> serial.equals(t.serial())).findFirst()
                .orElseThrow(() -> new AssertionError("tokens() does not list serial " + serial));
    }

    private TokenInfo listedAt(long slot) {
        return tested().tokens().stream().filter(t -> t.slotId() == slot).findFirst()
                .orElseThrow(() -> new AssertionError("tokens() does not list slot " + slot));
    }

    private static TokenException expect(Reason reason, Executable action) {
        TokenException e = assertThrows(TokenException.class, action, () -> "expected TokenException " + reason);
        assertEquals(reason, e.reason(), () -> "reason of \"" + e.getMessage() + "\"");
        return e;
    }

    private static void assertProtected(TokenKey key) {
        assertTrue(key.protectedOnToken(), () -> "private key of " + key.alias() + " is protected on the token "
                + "(sensitive, not extractable, always sensitive, never extractable): " + key);
    }

    private static KeyAlgorithm keyFor(SignatureAlgorithm algorithm) {
        return "RSA".equals(algorithm.keyFamily()) ? KeyAlgorithm.RSA_2048 : KeyAlgorithm.EC_P256;
    }

    private static int bits(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        return fail("public key is neither RSA nor EC: " + key.getAlgorithm());
    }

    private static byte[] message(String text) {
        return ("Cachet token compliance kit: " + text).getBytes(StandardCharsets.UTF_8);
    }

    /** Verifies with the JDK's own providers; PSS with MGF1 over the same hash and a salt as long as the hash. */
    private static boolean verifies(PublicKey key, SignatureAlgorithm algorithm, byte[] message, byte[] signature) {
        try {
            Signature verifier;
            if (algorithm.pss()) {
                verifier = Signature.getInstance("RSASSA-PSS");
                int saltLength = MessageDigest.getInstance(algorithm.hash()).getDigestLength();
                verifier.setParameter(new PSSParameterSpec(algorithm.hash(), "MGF1",
                        new MGF1ParameterSpec(algorithm.hash()), saltLength, 1));
            } else {
                verifier = Signature.getInstance(algorithm.jcaName());
            }
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false; // malformed signature bytes
        } catch (GeneralSecurityException e) {
            throw new AssertionError("the JCA cannot verify " + algorithm, e);
        }
    }

    private static <T> T resultOf(Future<T> future) throws InterruptedException {
        try {
            // a guard against a deadlocked driver, not a timing assertion
            return future.get(10, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new AssertionError("a signing thread failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("a signing thread did not finish within 10 minutes: deadlock?", e);
        }
    }
}
