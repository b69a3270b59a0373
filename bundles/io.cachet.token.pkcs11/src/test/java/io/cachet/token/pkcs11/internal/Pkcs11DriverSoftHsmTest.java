package io.cachet.token.pkcs11.internal;

import static io.cachet.token.pkcs11.testing.SoftHsmFixture.SO_PIN;
import static io.cachet.token.pkcs11.testing.SoftHsmFixture.USER_PIN;
import static io.cachet.token.pkcs11.testing.SoftHsmFixture.verify;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xipki.pkcs11.wrapper.Session;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenInfo.Flag;
import io.cachet.api.token.TokenKey;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;

/** The generic driver against the real SoftHSM2: one token for the class, keys generated once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Pkcs11DriverSoftHsmTest {

    private static final Set<TokenCapability> CAPABILITIES = EnumSet.of(TokenCapability.RSA_PSS,
            TokenCapability.EC_P384, TokenCapability.RSA_4096);

    private Pkcs11Driver driver;
    private TokenInfo info;
    private Token token;

    @BeforeAll
    void open() {
        driver = new Pkcs11Driver(SoftHsmFixture.library(), "test", CAPABILITIES, new GenericProfile(), 2,
                Duration.ofSeconds(30));
        info = SoftHsmFixture.initialise(driver, "driver-test");
        token = driver.login(info.serial(), USER_PIN.clone());
        token.generateKeyPair("rsa-3072", KeyAlgorithm.RSA_3072);
        token.generateKeyPair("rsa-2048", KeyAlgorithm.RSA_2048);
        token.generateKeyPair("p-256", KeyAlgorithm.EC_P256);
        token.generateKeyPair("p-384", KeyAlgorithm.EC_P384);
    }

    @AfterAll
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void aBlankTokenIsAlwaysListed() {
        TokenInfo blank = SoftHsmFixture.blank(driver);
        assertEquals("", blank.label());
        assertEquals("SoftHSM project", blank.manufacturer());
        assertEquals("SoftHSM v2", blank.model());
        assertFalse(blank.has(Flag.USER_PIN_INITIALIZED));
        assertTrue(blank.userPinTriesLeft().isEmpty());
    }

    @Test
    void theInitialisedTokenIsListedWithItsLabelAndFlags() {
        TokenInfo listed = driver.tokens().stream().filter(t -> t.serial().equals(info.serial())).findFirst()
                .orElseThrow();
        assertEquals("driver-test", listed.label());
        assertEquals(info.slotId(), listed.slotId());
        assertTrue(listed.has(Flag.INITIALIZED));
        assertTrue(listed.has(Flag.USER_PIN_INITIALIZED));
        assertTrue(listed.has(Flag.LOGIN_REQUIRED));
        assertFalse(listed.serial().isBlank());
        assertEquals(listed.serial(), token.info().serial());
    }

    @Test
    void unknownSerialIsNotFound() {
        TokenException e = assertThrows(TokenException.class, () -> driver.login("no-such-serial", USER_PIN.clone()));
        assertEquals(Reason.NOT_FOUND, e.reason());
    }

    @Test
    void aSecondLoginToALoggedInTokenIsRefusedRatherThanLetThroughUnchecked() {
        TokenException e = assertThrows(TokenException.class, () -> driver.login(info.serial(), "wrong".toCharArray()));
        assertEquals(Reason.BUSY, e.reason());
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void everySignatureVerifiesWithTheJdk(SignatureAlgorithm algorithm) throws Exception {
        List<String> aliases = algorithm.keyFamily().equals("RSA") ? List.of("rsa-2048", "rsa-3072")
                : List.of("p-256", "p-384");
        TokenKey[] keys = token.keys().stream().filter(k -> aliases.contains(k.alias())).toArray(TokenKey[]::new);
        assertEquals(2, keys.length);
        byte[] message = ("message for " + algorithm).getBytes(StandardCharsets.UTF_8);
        for (TokenKey key : keys) {
            byte[] signature = token.sign(key.alias(), algorithm, message);
            assertTrue(verify(key.publicKey(), algorithm, message, signature), algorithm + " with " + key.alias());
            byte[] digest = MessageDigest.getInstance(algorithm.hash()).digest(message);
            byte[] fromDigest = token.signDigest(key.alias(), algorithm, digest);
            assertTrue(verify(key.publicKey(), algorithm, message, fromDigest), algorithm + " digest " + key.alias());
            assertFalse(verify(key.publicKey(), algorithm, "other".getBytes(StandardCharsets.UTF_8), signature));
        }
    }

    @Test
    void generatedKeysAreProtectedAndReadBack() {
        List<TokenKey> keys = token.keys();
        assertEquals(List.of("p-256", "p-384", "rsa-2048", "rsa-3072"),
                keys.stream().map(TokenKey::alias).filter(a -> !a.startsWith("x-")).sorted().toList());
        for (TokenKey key : keys) {
            assertTrue(key.protectedOnToken(), key.toString());
            assertTrue(key.sensitive() && !key.extractable() && key.alwaysSensitive() && key.neverExtractable());
        }
        TokenKey rsa = keys.stream().filter(k -> k.alias().equals("rsa-3072")).findFirst().orElseThrow();
        assertEquals(KeyAlgorithm.RSA_3072, rsa.algorithm());
        assertEquals(3072, ((RSAPublicKey) rsa.publicKey()).getModulus().bitLength());
        assertEquals(65537, ((RSAPublicKey) rsa.publicKey()).getPublicExponent().intValue());
        TokenKey ec = keys.stream().filter(k -> k.alias().equals("p-256")).findFirst().orElseThrow();
        assertEquals(KeyAlgorithm.EC_P256, ec.algorithm());
        assertEquals(256, ((ECPublicKey) ec.publicKey()).getParams().getOrder().bitLength());
    }

    @Test
    void rsa4096IsGenerated() {
        TokenKey key = token.generateKeyPair("x-rsa-4096", KeyAlgorithm.RSA_4096);
        assertTrue(key.protectedOnToken());
        byte[] message = "4096".getBytes(StandardCharsets.UTF_8);
        assertTrue(verify(key.publicKey(), SignatureAlgorithm.RSA_PSS_SHA512, message,
                token.sign("x-rsa-4096", SignatureAlgorithm.RSA_PSS_SHA512, message)));
    }

    @Test
    void aDuplicateAliasIsRefused() {
        TokenException e = assertThrows(TokenException.class,
                () -> token.generateKeyPair("p-256", KeyAlgorithm.EC_P384));
        assertEquals(Reason.ALREADY_EXISTS, e.reason());
    }

    @Test
    void signingWithAMissingOrMismatchedKeyFails() {
        byte[] message = {1, 2, 3};
        assertEquals(Reason.NOT_FOUND, assertThrows(TokenException.class,
                () -> token.sign("nope", SignatureAlgorithm.ECDSA_SHA256, message)).reason());
        assertEquals(Reason.UNSUPPORTED, assertThrows(TokenException.class,
                () -> token.sign("p-256", SignatureAlgorithm.RSA_PKCS1_SHA256, message)).reason());
        assertThrows(IllegalArgumentException.class,
                () -> token.signDigest("p-256", SignatureAlgorithm.ECDSA_SHA384, new byte[32]));
    }

    @Test
    void aCertificateIsStoredAndReadBack() throws Exception {
        TokenKey key = token.keys().stream().filter(k -> k.alias().equals("p-256")).findFirst().orElseThrow();
        X509Certificate certificate = SoftHsmFixture.selfSigned(token, "p-256", key.publicKey(),
                SignatureAlgorithm.ECDSA_SHA256);
        assertTrue(token.certificate("p-256").isEmpty());
        token.importCertificate("p-256", certificate);
        assertEquals(certificate, token.certificate("p-256").orElseThrow());

        // a renewal replaces the stored certificate
        X509Certificate renewed = SoftHsmFixture.selfSigned(token, "p-256", key.publicKey(),
                SignatureAlgorithm.ECDSA_SHA384);
        token.importCertificate("p-256", renewed);
        assertEquals(renewed, token.certificate("p-256").orElseThrow());

        TokenKey rsa = token.keys().stream().filter(k -> k.alias().equals("rsa-2048")).findFirst().orElseThrow();
        X509Certificate rsaCertificate = SoftHsmFixture.selfSigned(token, "rsa-2048", rsa.publicKey(),
                SignatureAlgorithm.RSA_PKCS1_SHA256);
        assertThrows(IllegalArgumentException.class, () -> token.importCertificate("p-384", rsaCertificate));
        assertTrue(token.certificate("p-384").isEmpty());
        assertEquals(Reason.NOT_FOUND, assertThrows(TokenException.class,
                () -> token.importCertificate("nope", rsaCertificate)).reason());
    }

    @Test
    void eightThreadsShareTwoSessionsAndEverySignatureVerifies() throws Exception {
        TokenKey ec = token.keys().stream().filter(k -> k.alias().equals("p-256")).findFirst().orElseThrow();
        TokenKey rsa = token.keys().stream().filter(k -> k.alias().equals("rsa-2048")).findFirst().orElseThrow();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                results.add(threads.submit(() -> {
                    boolean ok = true;
                    for (int j = 0; j < 25; j++) {
                        byte[] message = ("thread " + n + " message " + j).getBytes(StandardCharsets.UTF_8);
                        TokenKey key = (j % 2 == 0) ? ec : rsa;
                        SignatureAlgorithm algorithm = key == ec ? SignatureAlgorithm.ECDSA_SHA256
                                : SignatureAlgorithm.RSA_PSS_SHA256;
                        ok &= verify(key.publicKey(), algorithm, message, token.sign(key.alias(), algorithm, message));
                    }
                    return ok;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(2, TimeUnit.MINUTES));
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(2, ((Pkcs11Token) token).pool().size());
    }

    @Test
    void anExhaustedPoolAnswersBusyInsteadOfHanging() {
        Pkcs11Driver impatient = new Pkcs11Driver(SoftHsmFixture.library(), "impatient", CAPABILITIES,
                new GenericProfile(), 2, Duration.ofMillis(50));
        try {
            TokenInfo other = SoftHsmFixture.initialise(impatient, "impatient");
            Pkcs11Token busy = (Pkcs11Token) impatient.login(other.serial(), USER_PIN.clone());
            busy.generateKeyPair("k", KeyAlgorithm.EC_P256);
            Session first = busy.pool().borrow();
            Session second = busy.pool().borrow();
            TokenException e = assertThrows(TokenException.class,
                    () -> busy.sign("k", SignatureAlgorithm.ECDSA_SHA256, new byte[] {1}));
            assertEquals(Reason.BUSY, e.reason());
            assertTrue(e.getMessage().contains("poolSize"), e.getMessage());
            busy.pool().giveBack(first);
            busy.pool().giveBack(second);
            assertTrue(busy.sign("k", SignatureAlgorithm.ECDSA_SHA256, new byte[] {1}).length > 0);
            busy.close();
            assertEquals(Reason.CLOSED, assertThrows(TokenException.class,
                    () -> busy.sign("k", SignatureAlgorithm.ECDSA_SHA256, new byte[] {1})).reason());
            busy.close();
        } finally {
            impatient.close();
        }
    }

    @Test
    void aDemandTheDriverCannotMeetIsRefusedBeforeTheTokenIsTouched() {
        TokenInfo blank = SoftHsmFixture.blank(driver);
        TokenException e = assertThrows(TokenException.class, () -> driver.initialize(blank.slotId(), SO_PIN.clone(),
                USER_PIN.clone(), "never", PinPolicy.qualifiedSeal(5)));
        assertEquals(Reason.UNSUPPORTED, e.reason());
        assertEquals(Reason.UNSUPPORTED, assertThrows(TokenException.class, () -> driver.initialize(blank.slotId(),
                SO_PIN.clone(), USER_PIN.clone(), "never", new PinPolicy(java.util.OptionalInt.empty(), false, true,
                        12))).reason());
        assertEquals(Reason.PIN_INVALID, assertThrows(TokenException.class, () -> driver.initialize(blank.slotId(),
                SO_PIN.clone(), "123".toCharArray(), "never", PinPolicy.TOKEN_DEFAULT)).reason());
        assertTrue(driver.tokens().stream().noneMatch(t -> t.label().equals("never")));
        assertEquals(blank, SoftHsmFixture.blank(driver));
    }

    @Test
    void aTooLongLabelIsRefused() {
        TokenInfo blank = SoftHsmFixture.blank(driver);
        assertThrows(IllegalArgumentException.class, () -> driver.initialize(blank.slotId(), SO_PIN.clone(),
                USER_PIN.clone(), "x".repeat(33), PinPolicy.TOKEN_DEFAULT));
    }

    @Test
    void anUnknownSlotIsNotFound() {
        assertEquals(Reason.NOT_FOUND, assertThrows(TokenException.class, () -> driver.initialize(987654321L,
                SO_PIN.clone(), USER_PIN.clone(), "nowhere", PinPolicy.TOKEN_DEFAULT)).reason());
    }

    @Test
    void signaturesDifferFromKeyToKey() {
        byte[] message = {42};
        assertFalse(java.util.Arrays.equals(token.sign("rsa-2048", SignatureAlgorithm.RSA_PKCS1_SHA256, message),
                token.sign("rsa-3072", SignatureAlgorithm.RSA_PKCS1_SHA256, message)));
        // PKCS#1 v1.5 is deterministic: the same key signs the same message the same way
        assertArrayEquals(token.sign("rsa-2048", SignatureAlgorithm.RSA_PKCS1_SHA256, message),
                token.sign("rsa-2048", SignatureAlgorithm.RSA_PKCS1_SHA256, message));
    }
}
