package io.cachet.delivery.cloud.internal.space;

import static io.cachet.delivery.cloud.internal.space.SpaceFixture.ANNA;
import static io.cachet.delivery.cloud.internal.space.SpaceFixture.GOOD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.delivery.DeliveryException;
import io.cachet.delivery.cloud.internal.AuthOutcome.Failure;
import io.cachet.delivery.cloud.internal.factor.SoftAuthenticator;
import io.cachet.delivery.cloud.internal.factor.Totp;

/**
 * Second factors on the real store (H2 and PostgreSQL): an authenticator app (TOTP) enrolled with a code and asked at
 * login and re-authentication, never the same code twice; a WebAuthn authenticator registered and asserted (a software
 * authenticator), refused for a replayed answer, another origin, or a counter that does not grow.
 */
class FactorsTest {

    static final String ORIGIN = SpaceFixture.BASE;

    @TempDir
    Path dir;

    static java.util.stream.Stream<String> products() {
        return io.cachet.store.testing.TestDatabases.products();
    }

    private static String code(byte[] key, java.time.Instant at) {
        return Totp.code(key, Totp.step(at), 6, "HmacSHA1");
    }

    @ParameterizedTest
    @MethodSource("products")
    void anAuthenticatorAppIsEnrolledWithACodeAndItsCodesWorkOnce(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.active();
            String id = f.accountId();
            SpaceService.TotpEnrolment e = f.service.startTotp(id, "cachet.example.fr");
            byte[] key = e.key().clone();
            assertTrue(e.uri().startsWith("otpauth://totp/cachet.example.fr:anna%40example.org?secret="), e.uri());
            assertTrue(f.service.factors(id).isEmpty(), "not before it is confirmed");
            assertFalse(f.service.confirmTotp(id, "000000".equals(code(key, f.clock.instant())) ? "111111"
                    : "000000"));
            assertTrue(f.service.confirmTotp(id, code(key, f.clock.instant())));
            assertEquals(List.of("totp"), f.service.factors(id));
            assertEquals(DeliveryException.Kind.CONFLICT, assertThrows(DeliveryException.class,
                    () -> f.service.startTotp(id, "x")).kind(), "one app at a time");

            SpaceService.Login asked = f.service.login(ANNA.email(), GOOD.toCharArray(), null, null, null, "c");
            assertEquals(Failure.FACTOR_REQUIRED, asked.outcome().failure());
            assertNotNull(asked.cookie());
            assertTrue(f.service.session(asked.cookie()).isEmpty(), "not a session before the factor");
            assertEquals(Failure.WRONG_FACTOR, f.service.completeLogin(asked.cookie(), "totp", code(key,
                    f.clock.instant()), null, "c").outcome().failure(), "the code of the enrolment is used up");

            f.clock.advance(Duration.ofSeconds(30));
            String now = code(key, f.clock.instant());
            SpaceService.Login done = f.service.completeLogin(asked.cookie(), "totp", now, null, "c");
            assertTrue(done.outcome().ok());
            assertTrue(done.session().secondFactor());
            assertFalse(done.cookie().equals(asked.cookie()), "a new cookie once the factor passed");
            assertTrue(f.service.pending(asked.cookie()).isEmpty());
            assertEquals(Failure.WRONG_FACTOR, f.service.login(ANNA.email(), GOOD.toCharArray(), "totp", now, null,
                    "c").outcome().failure(), "replayed");

            f.clock.advance(Duration.ofSeconds(30));
            assertEquals(Failure.FACTOR_REQUIRED, f.service.confirm(id, GOOD.toCharArray(), null, null, null, "c")
                    .failure());
            assertTrue(f.service.confirm(id, GOOD.toCharArray(), "totp", code(key, f.clock.instant()), null, "c")
                    .ok());
            assertEquals(Failure.WRONG_FACTOR, f.service.confirm(id, GOOD.toCharArray(), "totp", code(key,
                    f.clock.instant()), null, "c").failure());

            String factorId = f.service.factorList(id).get(0).id();
            assertTrue(f.service.removeFactor(id, factorId, null));
            assertTrue(f.service.factors(id).isEmpty());
            assertTrue(f.service.login(ANNA.email(), GOOD.toCharArray(), null, null, null, "c").outcome().ok());
            assertTrue(f.audit.actions().containsAll(List.of("space.factor-enrolled", "space.factor-removed",
                    "space.factor-refused", "space.reauthenticated", "space.reauthentication-failed")));
            assertFalse(f.audit.all().contains(now), "no code audited");
            String b32 = Totp.base32(key);
            assertFalse(f.audit.all().contains(b32) || f.audit.all().contains(Base64.getEncoder().encodeToString(
                    key)), "no key audited");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aLockoutFollowsWrongCodes(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.active();
            String id = f.accountId();
            byte[] key = f.service.startTotp(id, "x").key().clone();
            assertTrue(f.service.confirmTotp(id, code(key, f.clock.instant())));
            String wrong = "000000".equals(code(key, f.clock.instant())) ? "111111" : "000000";
            for (int i = 0; i < 5; i++) {
                assertEquals(Failure.WRONG_FACTOR, f.service.login(ANNA.email(), GOOD.toCharArray(), "totp", wrong,
                        null, "c" + i).outcome().failure());
            }
            f.clock.advance(Duration.ofSeconds(30));
            assertEquals(Failure.THROTTLED, f.service.login(ANNA.email(), GOOD.toCharArray(), "totp", code(key,
                    f.clock.instant()), null, "c9").outcome().failure());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aWebAuthnAuthenticatorIsRegisteredAndAssertedServerSide(String product) throws Exception {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.active();
            String id = f.accountId();
            SoftAuthenticator key = new SoftAuthenticator();
            String creation = f.service.registrationOptions(id, "Cachet");
            assertTrue(creation.contains("\"rp\":{\"id\":\"cachet.example.fr\""), creation);
            assertTrue(creation.contains("\"userVerification\":\"preferred\""), creation);

            // another origin, then a replayed challenge: refused
            String fromElsewhere = key.create(creation, "https://evil.example");
            assertFalse(f.service.registerWebAuthn(id, "Key", fromElsewhere, "https://evil.example"));
            assertFalse(f.service.registerWebAuthn(id, "Key", key.create(creation, ORIGIN), ORIGIN),
                    "the challenge was used up");
            assertTrue(f.service.factors(id).isEmpty());

            assertTrue(f.service.registerWebAuthn(id, "My FIDO2 token", key.create(f.service.registrationOptions(id,
                    "Cachet"), ORIGIN), ORIGIN));
            assertEquals(List.of("webauthn"), f.service.factors(id));
            assertEquals("My FIDO2 token", f.service.factorList(id).get(0).name());

            SpaceService.Login asked = f.service.login(ANNA.email(), GOOD.toCharArray(), null, null, null, "c");
            assertEquals(Failure.FACTOR_REQUIRED, asked.outcome().failure());
            String request = f.service.factorChallenge(id).orElseThrow();
            assertTrue(request.contains(key.credentialId()), request);
            String answer = key.get(request, ORIGIN);
            SpaceService.Login done = f.service.completeLogin(asked.cookie(), "webauthn", answer, ORIGIN, "c");
            assertTrue(done.outcome().ok(), String.valueOf(done.outcome()));
            assertTrue(done.session().secondFactor());

            assertEquals(Failure.WRONG_FACTOR, f.service.login(ANNA.email(), GOOD.toCharArray(), "webauthn", answer,
                    ORIGIN, "c").outcome().failure(), "replayed: its challenge was used up");

            String again = f.service.factorChallenge(id).orElseThrow();
            String challenge = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(again)
                    .get("challenge").asText();
            assertEquals(Failure.WRONG_FACTOR, f.service.confirm(id, GOOD.toCharArray(), "webauthn", key.assertion(
                    challenge, "cachet.example.fr", ORIGIN, key.counter), ORIGIN, "c").failure(),
                    "a counter that did not grow: a cloned authenticator");
            String third = f.service.factorChallenge(id).orElseThrow();
            String c3 = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(third)
                    .get("challenge").asText();
            assertEquals(Failure.WRONG_FACTOR, f.service.confirm(id, GOOD.toCharArray(), "webauthn", key.assertion(
                    c3, "evil.example", ORIGIN, ++key.counter), ORIGIN, "c").failure(), "another relying party");
            assertTrue(f.service.confirm(id, GOOD.toCharArray(), "webauthn", key.get(f.service.factorChallenge(id)
                    .orElseThrow(), ORIGIN), ORIGIN, "c").ok());
            assertEquals(Failure.WRONG_FACTOR, f.service.confirm(id, GOOD.toCharArray(), "webauthn", "{not json",
                    ORIGIN, "c").failure());
            assertTrue(f.audit.all().contains("space.factor-enrolled"), f.audit.all());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void oneCodeSentTwiceAtOnceLogsInOnce(String product) throws Exception {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.active();
            String id = f.accountId();
            byte[] key = f.service.startTotp(id, "x").key().clone();
            assertTrue(f.service.confirmTotp(id, code(key, f.clock.instant())));
            f.clock.advance(Duration.ofSeconds(30));
            String now = code(key, f.clock.instant());
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                List<java.util.concurrent.Future<Boolean>> runs = new java.util.ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    runs.add(pool.submit(() -> {
                        start.await();
                        return f.service.confirm(id, GOOD.toCharArray(), "totp", now, null, "c").ok();
                    }));
                }
                start.countDown();
                int ok = 0;
                for (var r : runs) {
                    ok += r.get() ? 1 : 0;
                }
                assertEquals(1, ok, "the factor's row is locked: the code works once");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
