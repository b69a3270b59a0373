package io.cachet.delivery.cloud.internal.csc;

import static io.cachet.delivery.cloud.internal.csc.CscFixture.PASSWORD;
import static io.cachet.delivery.cloud.internal.csc.CscFixture.hashes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.signature.SigningKey;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenException;
import io.cachet.delivery.cloud.internal.csc.CscFixture.Account;
import io.cachet.delivery.cloud.internal.csc.CscService.Caller;
import io.cachet.store.testing.TestDatabases;

/**
 * The CSC rules on the real database (H2 and PostgreSQL), audit log, CA and software tokens: login, credentials,
 * SCAL2 authorisation bound to the hashes, and each refusal of signHash, with what the audit log keeps.
 */
class CscServiceTest {

    @TempDir
    Path dir;

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    private static final String SHA256 = CscAlgorithms.SHA256;

    private static char[] pin() {
        return PASSWORD.toCharArray();
    }

    private static void verify(X509Certificate cert, String algorithm, String text, byte[] signature)
            throws Exception {
        Signature v = Signature.getInstance(algorithm);
        v.initVerify(cert.getPublicKey());
        v.update(text.getBytes(StandardCharsets.UTF_8));
        assertTrue(v.verify(signature), "the signature verifies with the certificate's key");
    }

    @ParameterizedTest
    @MethodSource("products")
    void signsOnlyTheAuthorisedHashesOnceEach(String product) throws Exception {
        try (CscFixture f = new CscFixture(product, dir)) {
            Account anna = f.holders.add("anna@example.org");
            String order = f.cloudOrder(anna, KeyAlgorithm.EC_P256);
            Caller caller = f.login(anna);

            assertEquals(List.of(order), f.service.credentialIds(caller, true));
            CscService.Credential credential = f.service.credential(caller, order);
            assertEquals("valid", credential.status());
            assertEquals(2, credential.chain().size(), "issuing CA and root");

            CscService.Authorization a = f.service.authorize(caller, order, 2, hashes("one", "two"), SHA256, pin(),
                    null, "192.0.2.1");
            assertEquals(300, a.expiresIn());
            assertTrue(f.keys.asked.isEmpty(), "the key is asked for only to sign");
            List<byte[]> first = f.service.signHash(caller, order, a.sad(), hashes("two"), SHA256,
                    CscAlgorithms.ECDSA_SHA256, "192.0.2.1");
            verify(credential.certificate(), "SHA256withECDSA", "two", first.get(0));
            assertEquals(1, f.service.unused(a.sad()).size(), "one hash left to sign");

            List<byte[]> second = f.service.signHash(caller, order, a.sad(), hashes("one"), null,
                    CscAlgorithms.EC, "192.0.2.1");
            verify(credential.certificate(), "SHA256withECDSA", "one", second.get(0));
            assertEquals(List.of(order, order), f.keys.asked);

            CscException reused = assertThrows(CscException.class, () -> f.service.signHash(caller, order, a.sad(),
                    hashes("one"), SHA256, CscAlgorithms.ECDSA_SHA256, "192.0.2.1"));
            assertEquals(400, reused.status());
            assertEquals("invalid_request", reused.error());
            assertTrue(reused.getMessage().startsWith("Invalid parameter SAD"), reused.getMessage());

            assertEquals(List.of("csc.login", "csc.authorized", "csc.signed", "csc.signed", "csc.refused"),
                    f.audit.actions());
            assertTrue(f.audit.details("csc.signed").get(0).contains("hashes=1; hashAlgorithm=SHA-256"));
            assertTrue(f.audit.details("csc.signed").get(0).contains("signed=" + CscFixture.sha256("two")),
                    "the signed hash is in the audit record");
            assertTrue(f.audit.details("csc.authorized").get(0).contains(CscFixture.sha256("one") + ","
                    + CscFixture.sha256("two")), "the authorised hashes too");
            assertTrue(f.audit.details("csc.refused").get(0).contains("reason=sad-reused"));
            assertFalse(f.audit.all().contains(PASSWORD), "no password in the audit log");
            assertFalse(f.audit.all().contains(a.sad()), "no SAD in the audit log");
            assertEquals(List.of(anna.holder.id() + ":null"), f.holders.confirms);
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void refusesAHashNotBoundToTheSadAndKeepsTheAuthorisedOnes(String product) {
        try (CscFixture f = new CscFixture(product, dir)) {
            Account anna = f.holders.add("anna@example.org");
            String order = f.cloudOrder(anna, KeyAlgorithm.EC_P256);
            Caller caller = f.login(anna);
            CscService.Authorization a = f.service.authorize(caller, order, 1, hashes("contract"), SHA256, pin(),
                    null, "c");

            CscException e = assertThrows(CscException.class, () -> f.service.signHash(caller, order, a.sad(),
                    hashes("contract", "another document"), SHA256, CscAlgorithms.ECDSA_SHA256, "c"));
            assertTrue(e.getMessage().startsWith("Hash is not authorized by the SAD: hash 2"), e.getMessage());
            assertEquals(1, f.service.unused(a.sad()).size(), "nothing signed, the authorised hash still usable");
            assertTrue(f.audit.details("csc.refused").get(0).contains("reason=hash-not-authorised"));

            assertEquals(1, f.service.signHash(caller, order, a.sad(), hashes("contract"), SHA256,
                    CscAlgorithms.ECDSA_SHA256, "c").size());
            assertEquals(List.of("csc.login", "csc.authorized", "csc.refused", "csc.signed"), f.audit.actions());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void refusesAHashSignedAlreadyAndAnExpiredSad(String product) {
        try (CscFixture f = new CscFixture(product, dir)) {
            Account anna = f.holders.add("anna@example.org");
            String order = f.cloudOrder(anna, KeyAlgorithm.EC_P256);
            Caller caller = f.login(anna);
            CscService.Authorization a = f.service.authorize(caller, order, 2, hashes("a", "b"), SHA256, pin(), null,
                    "c");
            f.service.signHash(caller, order, a.sad(), hashes("a"), SHA256, CscAlgorithms.ECDSA_SHA256, "c");
            CscException again = assertThrows(CscException.class, () -> f.service.signHash(caller, order, a.sad(),
                    hashes("a"), SHA256, CscAlgorithms.ECDSA_SHA256, "c"));
            assertTrue(again.getMessage().contains("hash 1 was already signed"), again.getMessage());

            f.clock.advance(Duration.ofSeconds(300));
            CscException expired = assertThrows(CscException.class, () -> f.service.signHash(caller, order,
                    a.sad(), hashes("b"), SHA256, CscAlgorithms.ECDSA_SHA256, "c"));
            assertTrue(expired.getMessage().startsWith("SAD expired"), expired.getMessage());
            assertEquals(1, f.service.unused(a.sad()).size());
            List<String> refused = f.audit.details("csc.refused");
            assertTrue(refused.get(0).contains("reason=hash-reused"));
            assertTrue(refused.get(1).contains("reason=sad-expired"));

            CscException unknown = assertThrows(CscException.class, () -> f.service.signHash(caller, order,
                    "not-a-sad", hashes("b"), SHA256, CscAlgorithms.ECDSA_SHA256, "c"));
            assertTrue(unknown.getMessage().startsWith("Invalid parameter SAD"), unknown.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void anotherHoldersCredentialOrSadIsRefused(String product) {
        try (CscFixture f = new CscFixture(product, dir)) {
            Account anna = f.holders.add("anna@example.org");
            Account bob = f.holders.add("bob@example.org");
            String annas = f.cloudOrder(anna, KeyAlgorithm.EC_P256);
            String bobs = f.cloudOrder(bob, KeyAlgorithm.EC_P256);
            Caller annaCaller = f.login(anna);
            Caller bobCaller = f.login(bob);

            assertEquals(List.of(bobs), f.service.credentialIds(bobCaller, false));
            CscException info = assertThrows(CscException.class, () -> f.service.credential(bobCaller, annas));
            assertTrue(info.getMessage().startsWith("Invalid parameter credentialID"), info.getMessage());
            CscException authorize = assertThrows(CscException.class, () -> f.service.authorize(bobCaller, annas, 1,
                    hashes("x"), SHA256, pin(), null, "c"));
            assertTrue(authorize.getMessage().startsWith("Invalid parameter credentialID"));
            assertTrue(f.holders.confirms.isEmpty(), "no password checked for another's credential");

            CscService.Authorization annaSad = f.service.authorize(annaCaller, annas, 1, hashes("x"), SHA256, pin(),
                    null, "c");
            CscException withAnnas = assertThrows(CscException.class, () -> f.service.signHash(bobCaller, annas,
                    annaSad.sad(), hashes("x"), SHA256, CscAlgorithms.ECDSA_SHA256, "c"));
            assertTrue(withAnnas.getMessage().startsWith("Invalid parameter credentialID"));
            CscException onHisOwn = assertThrows(CscException.class, () -> f.service.signHash(bobCaller, bobs,
                    annaSad.sad(), hashes("x"), SHA256, CscAlgorithms.ECDSA_SHA256, "c"));
            assertTrue(onHisOwn.getMessage().startsWith("Invalid parameter SAD"), onHisOwn.getMessage());

            CscService.Authorization bobSad = f.service.authorize(bobCaller, bobs, 1, hashes("y"), SHA256, pin(),
                    null, "c");
            CscException otherCredential = assertThrows(CscException.class, () -> f.service.signHash(annaCaller,
                    annas, bobSad.sad(), hashes("y"), SHA256, CscAlgorithms.ECDSA_SHA256, "c"));
            assertTrue(otherCredential.getMessage().startsWith("Invalid parameter SAD"));

            assertEquals(1, f.service.unused(annaSad.sad()).size(), "Anna's hash still hers to sign");
            assertTrue(f.audit.details("csc.signed").isEmpty(), "nothing signed");
            String refusals = String.join("\n", f.audit.details("csc.refused"));
            assertTrue(refusals.contains("reason=other-credential"), refusals);
            assertTrue(refusals.contains("reason=sad-other-holder"), refusals);
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void wrongAuthDataGivesNoSad(String product) {
        try (CscFixture f = new CscFixture(product, dir)) {
            Account anna = f.holders.add("anna@example.org");
            String order = f.cloudOrder(anna, KeyAlgorithm.EC_P256);
            Caller caller = f.login(anna);

            CscException wrongPin = assertThrows(CscException.class, () -> f.service.authorize(caller, order, 1,
                    hashes("x"), SHA256, "wrong".toCharArray(), null, "c"));
            assertTrue(wrongPin.getMessage().startsWith("The PIN is invalid"));
            CscException noPin = assertThrows(CscException.class, () -> f.service.authorize(caller, order, 1,
                    hashes("x"), SHA256, null, null, "c"));
            assertTrue(noPin.getMessage().startsWith("Missing authData PIN"));

            anna.factors.add("totp");
            anna.totp = "123456";
            CscException noOtp = assertThrows(CscException.class, () -> f.service.authorize(caller, order, 1,
                    hashes("x"), SHA256, pin(), null, "c"));
            assertTrue(noOtp.getMessage().startsWith("Missing authData OTP"));
            CscException wrongOtp = assertThrows(CscException.class, () -> f.service.authorize(caller, order, 1,
                    hashes("x"), SHA256, pin(), "654321", "c"));
            assertTrue(wrongOtp.getMessage().startsWith("The OTP is invalid"));
            assertTrue(f.service.authorize(caller, order, 1, hashes("x"), SHA256, pin(), "123456", "c").sad()
                    .length() >= 43, "a SAD of 32 random bytes");
            assertEquals(anna.holder.id() + ":totp", f.holders.confirms.get(f.holders.confirms.size() - 1));

            anna.factors.clear();
            anna.factors.add("webauthn");
            CscException webauthn = assertThrows(CscException.class, () -> f.service.authorize(caller, order, 1,
                    hashes("x"), SHA256, pin(), null, "c"));
            assertTrue(webauthn.getMessage().contains("enrol an authenticator app (TOTP)"), webauthn.getMessage());

            anna.factors.clear();
            anna.throttled = true;
            CscException locked = assertThrows(CscException.class, () -> f.service.authorize(caller, order, 1,
                    hashes("x"), SHA256, pin(), null, "c"));
            assertTrue(locked.getMessage().startsWith("PIN locked"), locked.getMessage());

            assertEquals(List.of("csc.login", "csc.authorize-failed", "csc.authorize-failed", "csc.authorized",
                    "csc.refused", "csc.authorize-failed"), f.audit.actions());
            assertTrue(f.audit.details("csc.authorize-failed").get(0).contains("failure=WRONG_PASSWORD"));
            assertFalse(f.audit.all().contains("123456"), "no code in the audit log");
            assertFalse(f.audit.all().contains("wrong"), "no password in the audit log");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void algorithmsAndCountsMustMatchTheAuthorisation(String product) throws Exception {
        try (CscFixture f = new CscFixture(product, dir)) {
            Account anna = f.holders.add("anna@example.org");
            String ec = f.cloudOrder(anna, KeyAlgorithm.EC_P256);
            String rsa = f.cloudOrder(anna, KeyAlgorithm.RSA_2048);
            Caller caller = f.login(anna);

            assertThrows(CscException.class, () -> f.service.authorize(caller, ec, 3, hashes("a", "b"), SHA256, pin(),
                    null, "c"), "numSignatures differs from the hashes' count");
            CscException len = assertThrows(CscException.class, () -> f.service.authorize(caller, ec, 1,
                    hashes("a"), CscAlgorithms.SHA384, pin(), null, "c"));
            assertTrue(len.getMessage().startsWith("Invalid digest value length"), len.getMessage());
            f.settings.set(f.settings.get().withMaxSignatures(1));
            CscException many = assertThrows(CscException.class, () -> f.service.authorize(caller, ec, 2,
                    hashes("a", "b"), SHA256, pin(), null, "c"));
            assertTrue(many.getMessage().startsWith("Numbers of signatures is too high"));
            f.settings.set(CscSettings.defaults());
            CscException none = assertThrows(CscException.class, () -> f.service.authorize(caller, ec, 1, List.of(),
                    SHA256, pin(), null, "c"));
            assertTrue(none.getMessage().contains("SCAL2"));
            CscException twice = assertThrows(CscException.class, () -> f.service.authorize(caller, ec, 2,
                    hashes("a", "a"), SHA256, pin(), null, "c"));
            assertTrue(twice.getMessage().contains("listed twice"));
            assertTrue(f.holders.confirms.isEmpty(), "malformed authorisations are refused before the password");

            CscService.Authorization a = f.service.authorize(caller, ec, 1, hashes("a"), SHA256, pin(), null, "c");
            CscException otherHash = assertThrows(CscException.class, () -> f.service.signHash(caller, ec, a.sad(),
                    hashes("a"), CscAlgorithms.SHA384, CscAlgorithms.ECDSA_SHA384, "c"));
            assertTrue(otherHash.getMessage().startsWith("Invalid parameter hashAlgorithmOID"));
            CscException rsaOnEc = assertThrows(CscException.class, () -> f.service.signHash(caller, ec, a.sad(),
                    hashes("a"), SHA256, CscAlgorithms.SHA256_RSA, "c"));
            assertTrue(rsaOnEc.getMessage().startsWith("Invalid parameter signAlgo"));
            CscException ec384 = assertThrows(CscException.class, () -> f.service.signHash(caller, ec, a.sad(),
                    hashes("a"), SHA256, CscAlgorithms.ECDSA_SHA384, "c"));
            assertTrue(ec384.getMessage().startsWith("Invalid parameter signAlgo"));
            assertEquals(1, f.service.unused(a.sad()).size(), "still signable");

            CscService.Authorization r = f.service.authorize(caller, rsa, 1, hashes("r"), SHA256, pin(), null, "c");
            byte[] sig = f.service.signHash(caller, rsa, r.sad(), hashes("r"), SHA256, CscAlgorithms.RSA, "c").get(0);
            verify(f.service.credential(caller, rsa).certificate(), "SHA256withRSA", "r", sig);
            String refusals = String.join("\n", f.audit.details("csc.refused"));
            assertTrue(refusals.contains("reason=hash-algorithm") && refusals.contains("reason=sign-algorithm"));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aRevokedCertificateNoLongerSigns(String product) {
        try (CscFixture f = new CscFixture(product, dir)) {
            Account anna = f.holders.add("anna@example.org");
            String order = f.cloudOrder(anna, KeyAlgorithm.EC_P256);
            Caller caller = f.login(anna);
            CscService.Authorization a = f.service.authorize(caller, order, 1, hashes("a"), SHA256, pin(), null, "c");
            f.revoke(order);

            assertEquals(List.of(), f.service.credentialIds(caller, true));
            assertEquals(List.of(order), f.service.credentialIds(caller, false));
            assertEquals("revoked", f.service.credential(caller, order).status());
            CscException sign = assertThrows(CscException.class, () -> f.service.signHash(caller, order, a.sad(),
                    hashes("a"), SHA256, CscAlgorithms.ECDSA_SHA256, "c"));
            assertTrue(sign.getMessage().contains("revoked or expired"), sign.getMessage());
            assertEquals(1, f.service.unused(a.sad()).size());
            CscException authorize = assertThrows(CscException.class, () -> f.service.authorize(caller, order, 1,
                    hashes("b"), SHA256, pin(), null, "c"));
            assertTrue(authorize.getMessage().contains("revoked"), authorize.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void tokensExpireAndCanBeRevoked(String product) {
        try (CscFixture f = new CscFixture(product, dir)) {
            Account anna = f.holders.add("anna@example.org");
            CscService.Login login = f.service.login("anna@example.org", pin(), "c");
            Caller caller = f.service.authenticate(login.accessToken());
            assertEquals(anna.holder, caller.holder());
            f.service.revoke(caller, null);
            assertEquals(401, assertThrows(CscException.class, () -> f.service.authenticate(login.accessToken()))
                    .status());

            CscService.Login second = f.service.login("anna@example.org", pin(), "c");
            f.clock.advance(Duration.ofHours(1));
            CscException expired = assertThrows(CscException.class, () -> f.service.authenticate(
                    second.accessToken()));
            assertEquals("invalid_token", expired.error());

            CscException wrong = assertThrows(CscException.class, () -> f.service.login("anna@example.org",
                    "nope".toCharArray(), "c"));
            assertEquals(401, wrong.status());
            anna.throttled = true;
            assertEquals(429, assertThrows(CscException.class, () -> f.service.login("anna@example.org", pin(), "c"))
                    .status());
            assertEquals(List.of("csc.login", "csc.revoked", "csc.login", "csc.login-failed", "csc.login-failed"),
                    f.audit.actions());

            f.clock.advance(Duration.ofDays(2));
            assertEquals(2, f.service.purge(), "the two tokens, a day after they expired");
        }
    }

    /** The cloud key token down, or failing mid-signature: 503, nothing signed, the hash still usable. */
    @ParameterizedTest
    @MethodSource("products")
    void aTokenThatCannotSignLosesNothing(String product) {
        try (CscFixture f = new CscFixture(product, dir)) {
            Account anna = f.holders.add("anna@example.org");
            String order = f.cloudOrder(anna, KeyAlgorithm.EC_P256);
            Caller caller = f.login(anna);
            CscService.Authorization a = f.service.authorize(caller, order, 1, hashes("a"), SHA256, pin(), null, "c");

            CscService down = new CscService(f.db.database(), f.audit, f.holders, () -> f.certificates, () -> null,
                    f.ca::chain, f.settings::get, f.clock, new SecureRandom());
            CscException unavailable = assertThrows(CscException.class, () -> down.signHash(caller, order, a.sad(),
                    hashes("a"), SHA256, CscAlgorithms.ECDSA_SHA256, "c"));
            assertEquals(503, unavailable.status());
            assertEquals("temporarily_unavailable", unavailable.error());

            Token failing = (Token) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Token.class },
                    (p, m, args) -> {
                        if (m.getName().equals("signDigest")) {
                            throw new TokenException(TokenException.Reason.DEVICE_ERROR, "the HSM went away");
                        }
                        return m.invoke(f.cloudToken, args);
                    });
            CscService broken = new CscService(f.db.database(), f.audit, f.holders, () -> f.certificates,
                    () -> id -> new SigningKey(failing, "cloud-" + id, f.ca.chain()), f.ca::chain, f.settings::get,
                    f.clock, new SecureRandom());
            CscException failed = assertThrows(CscException.class, () -> broken.signHash(caller, order, a.sad(),
                    hashes("a"), SHA256, CscAlgorithms.ECDSA_SHA256, "c"));
            assertEquals(503, failed.status());
            assertFalse(failed.getMessage().contains("HSM"), "no internals for the client");
            assertEquals(1, f.service.unused(a.sad()).size(), "the hash is still usable");
            assertEquals(1, f.service.signHash(caller, order, a.sad(), hashes("a"), SHA256,
                    CscAlgorithms.ECDSA_SHA256, "c").size());
            assertEquals(1, f.audit.details("csc.signed").size());
        }
    }

    /** Two nodes on one database, the same SAD and hash at the same moment: one signature only. */
    @ParameterizedTest
    @MethodSource("products")
    void twoNodesCannotBothUseAHash(String product) throws Exception {
        try (CscFixture f = new CscFixture(product, dir)) {
            Account anna = f.holders.add("anna@example.org");
            String order = f.cloudOrder(anna, KeyAlgorithm.EC_P256);
            Caller caller = f.login(anna);
            CscService.Authorization a = f.service.authorize(caller, order, 1, hashes("once"), SHA256, pin(), null,
                    "c");
            CscService other = new CscService(f.db.database(), f.audit, f.holders, () -> f.certificates,
                    () -> f.keys, f.ca::chain, f.settings::get, f.clock, new SecureRandom());
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Boolean>> nodes = new ArrayList<>();
            for (CscService node : List.of(f.service, other)) {
                nodes.add(() -> {
                    start.await();
                    try {
                        node.signHash(caller, order, a.sad(), hashes("once"), SHA256, CscAlgorithms.ECDSA_SHA256,
                                "c");
                        return true;
                    } catch (CscException e) {
                        return false;
                    }
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (Callable<Boolean> n : nodes) {
                    results.add(pool.submit(n));
                }
                start.countDown();
                int signed = 0;
                for (Future<Boolean> r : results) {
                    signed += r.get() ? 1 : 0;
                }
                assertEquals(1, signed, "exactly one node signed");
                assertEquals(1, f.audit.details("csc.signed").size());
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
