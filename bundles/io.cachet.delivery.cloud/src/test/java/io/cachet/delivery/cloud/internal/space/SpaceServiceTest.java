package io.cachet.delivery.cloud.internal.space;

import static io.cachet.delivery.cloud.internal.space.SpaceFixture.ANNA;
import static io.cachet.delivery.cloud.internal.space.SpaceFixture.GOOD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.notify.Notification;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.delivery.cloud.internal.AuthOutcome.Failure;
import io.cachet.delivery.cloud.internal.HolderSession;

/**
 * The customer space's accounts on the real store (H2 and PostgreSQL), audit log and order state machine: the journey
 * from the order's check to an ACTIVE order, the password links, sessions and their limits, throttling and resets.
 */
class SpaceServiceTest {

    @TempDir
    Path dir;

    static java.util.stream.Stream<String> products() {
        return io.cachet.store.testing.TestDatabases.products();
    }

    @ParameterizedTest
    @MethodSource("products")
    void theCheckOpensTheSpaceAndSettingThePasswordMakesTheOrderActive(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            Order o = f.cloudOrder();
            assertEquals(OrderState.DELIVERY, f.order(o.id()).state());
            List<Notification> mails = f.notifier.of("cloudspace.password.set");
            assertEquals(1, mails.size());
            Notification m = mails.get(0);
            assertEquals("anna@example.org", m.recipient(), "the login is the e-mail in lower case");
            assertEquals("en", m.language());
            assertTrue(((String) m.model().get("link")).startsWith(SpaceFixture.BASE + "/space/password/"));
            assertEquals("2026-12-06 10:00 UTC", m.model().get("expires"), "72 hours by default");
            SpaceService.SpaceView v = f.service.view(o.id());
            assertEquals(SpaceService.SpaceState.LINK_SENT, v.state());
            assertEquals("anna@example.org", v.email());
            assertNotNull(v.linkExpiresAt());

            // entered again (a restart): nothing more is sent
            f.service.entered(f.order(o.id()));
            assertEquals(1, f.notifier.of("cloudspace.password.set").size());

            String secret = f.lastSecret();
            assertEquals(PasswordPolicy.Weakness.SHORT, f.service.setPassword(secret, "short1!".toCharArray(),
                    "192.0.2.1").weakness());
            assertEquals(PasswordPolicy.Weakness.COMMON, f.service.setPassword(secret, "Motdepasse2026!!"
                    .toCharArray(), "192.0.2.1").weakness());
            assertEquals(PasswordPolicy.Weakness.EMAIL, f.service.setPassword(secret, "anna-is-my-login-here"
                    .toCharArray(), "192.0.2.1").weakness());
            assertEquals(OrderState.DELIVERY, f.order(o.id()).state(), "nothing changed for a weak password");
            assertEquals(SpaceService.LinkState.VALID, f.service.link(secret).state());

            assertTrue(f.service.setPassword(secret, GOOD.toCharArray(), "192.0.2.1").ok());
            assertEquals(OrderState.ACTIVE, f.order(o.id()).state());
            assertEquals(SpaceService.SpaceState.ACTIVE, f.service.view(o.id()).state());
            assertEquals(SpaceService.LinkState.USED, f.service.link(secret).state());
            assertEquals(SpaceService.LinkState.USED, f.service.setPassword(secret, "another good passphrase"
                    .toCharArray(), "192.0.2.1").link(), "a link works once");
            assertTrue(f.service.checkPassword("ANNA@example.org ", GOOD.toCharArray(), "192.0.2.1").ok());

            assertTrue(f.audit.actions().containsAll(List.of("space.opened", "space.link-sent",
                    "space.password-refused", "space.password-set")), f.audit.all());
            assertFalse(f.audit.all().contains(GOOD) || f.audit.all().contains(secret), "no secret audited");
            assertTrue(f.audit.all().contains("system space.opened order:" + o.id()), f.audit.all());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aSecondCloudOrderOfTheSameManagerIsActiveAtOnce(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            Order first = f.active();
            f.clock.advance(Duration.ofMinutes(1));
            Order second = f.inDelivery(Medium.CLOUD, ANNA, "fr");
            assertEquals(OrderState.ACTIVE, f.order(second.id()).state());
            assertEquals(1, f.notifier.of("cloudspace.password.set").size(), "no new password link");
            List<Notification> added = f.notifier.of("cloudspace.seal.added");
            assertEquals(1, added.size());
            assertEquals(second.id(), added.get(0).model().get("orderId"));
            assertEquals("en", added.get(0).language(), "the account's language");
            assertEquals(List.of(second.id(), first.id()), f.service.orderIds(f.accountId()));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void expiredAndReplacedLinksDoNotOpenAndAnOperatorSendsANewOne(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            Order o = f.cloudOrder();
            String first = f.lastSecret();
            f.clock.advance(Duration.ofHours(72));
            assertEquals(SpaceService.LinkState.EXPIRED, f.service.link(first).state());
            assertEquals(SpaceService.LinkState.EXPIRED, f.service.setPassword(first, GOOD.toCharArray(), "c")
                    .link());
            assertNull(f.service.view(o.id()).linkExpiresAt());

            f.service.newLink(o.id(), "operator:alice");
            String second = f.lastSecret();
            assertEquals(SpaceService.LinkState.VALID, f.service.link(second).state());
            f.service.newLink(o.id(), "operator:alice");
            assertEquals(SpaceService.LinkState.USED, f.service.link(second).state(), "replaced");
            assertEquals(SpaceService.LinkState.UNKNOWN, f.service.link("x".repeat(43)).state());
            assertEquals(SpaceService.LinkState.UNKNOWN, f.service.link("../../etc").state());
            assertTrue(f.audit.all().contains("operator:alice space.link-sent"), f.audit.all());

            assertTrue(f.service.setPassword(f.lastSecret(), GOOD.toCharArray(), "c").ok());
            DeliveryException done = assertThrows(DeliveryException.class, () -> f.service.newLink(o.id(), "op"));
            assertTrue(done.getMessage().contains("/space/forgot"), done.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void tokenOrdersHaveNoSpaceAndWithoutAutoOpenAnOperatorOpensIt(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            Order token = f.inDelivery(Medium.USB_A, ANNA, "en");
            DeliveryException e = assertThrows(DeliveryException.class, () -> f.service.open(token.id(), "op"));
            assertEquals(DeliveryException.Kind.CONFLICT, e.kind());
            assertThrows(DeliveryException.class, () -> f.service.open("ord_nothing", "op"));

            f.settings.set(f.settings.get().withAutoOpen(false));
            Order o = f.cloudOrder();
            assertEquals(SpaceService.SpaceState.NOT_OPENED, f.service.view(o.id()).state());
            assertTrue(f.notifier.of("cloudspace.password.set").isEmpty());
            Order early = f.submit(Medium.CLOUD, ANNA, "en");
            assertEquals(DeliveryException.Kind.CONFLICT, assertThrows(DeliveryException.class,
                    () -> f.service.open(early.id(), "op")).kind(), "not in DELIVERY");

            assertEquals(SpaceService.SpaceState.LINK_SENT, f.service.open(o.id(), "operator:alice").state());
            assertEquals(SpaceService.SpaceState.LINK_SENT, f.service.open(o.id(), "operator:alice").state(),
                    "idempotent");
            assertEquals(1, f.notifier.of("cloudspace.password.set").size());
            assertTrue(f.audit.all().contains("operator:alice space.opened order:" + o.id()));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void sessionsEndAtLogoutAfterIdleAndAbsoluteLimitsAndSurviveARestart(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.active();
            SpaceService.Login l = f.service.login(ANNA.email(), GOOD.toCharArray(), null, null, null, "192.0.2.1");
            assertTrue(l.outcome().ok());
            HolderSession s = f.service.session(l.cookie()).orElseThrow();
            assertEquals("anna@example.org", s.holder().email());
            assertFalse(s.secondFactor());
            assertFalse(s.csrf().equals(l.cookie()));

            SpaceService restarted = new SpaceService(f.db.database(), f.audit, () -> f.orders, f.notifier, f.vault,
                    f.settings::get, f.clock, new SecureRandom());
            assertEquals(s.id(), restarted.session(l.cookie()).orElseThrow().id(), "kept in the database");

            // the idle timer restarts with each request; the absolute limit does not
            for (int i = 0; i < 34; i++) { // 34 x 14 min = 7 h 56
                f.clock.advance(Duration.ofMinutes(14));
                assertTrue(f.service.session(l.cookie()).isPresent(), "request " + i);
            }
            f.clock.advance(Duration.ofMinutes(14));
            assertTrue(f.service.session(l.cookie()).isEmpty(), "8 hours after the login");

            SpaceService.Login idle = f.service.login(ANNA.email(), GOOD.toCharArray(), null, null, null, "c");
            f.clock.advance(Duration.ofMinutes(15));
            assertTrue(f.service.session(idle.cookie()).isEmpty(), "15 minutes without a request");

            SpaceService.Login out = f.service.login(ANNA.email(), GOOD.toCharArray(), null, null, null, "c");
            assertTrue(f.service.logout(out.cookie()));
            assertTrue(f.service.session(out.cookie()).isEmpty());
            assertFalse(f.service.logout(out.cookie()));
            assertTrue(f.service.session(null).isEmpty());
            assertTrue(f.service.session("not a cookie").isEmpty());
            assertTrue(f.audit.actions().containsAll(List.of("space.login", "space.logout", "space.session-expired")));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void failuresLockTheAccountOutForLongerEachTimeEvenWithTheRightPassword(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.active();
            for (int i = 0; i < 5; i++) {
                assertEquals(Failure.WRONG_PASSWORD, f.service.login(ANNA.email(), ("wrong " + i).toCharArray(), null,
                        null, null, "198.51.100." + i).outcome().failure());
            }
            SpaceService.Login locked = f.service.login(ANNA.email(), GOOD.toCharArray(), null, null, null,
                    "198.51.100.9");
            assertEquals(Failure.THROTTLED, locked.outcome().failure(), "per account, from another address too");
            assertEquals(f.clock.instant().plusSeconds(60), locked.lockedUntil());
            assertTrue(locked.outcome().message().contains("10:01 UTC"), locked.outcome().message());
            assertEquals(Failure.THROTTLED, f.service.checkPassword(ANNA.email(), GOOD.toCharArray(), "x").failure());
            assertEquals(Failure.THROTTLED, f.service.confirm(f.accountId(), GOOD.toCharArray(), null, null, null,
                    "x").failure(), "re-authentication counts with logins");

            f.clock.advance(Duration.ofSeconds(60));
            assertEquals(Failure.WRONG_PASSWORD, f.service.login(ANNA.email(), "again wrong".toCharArray(), null,
                    null, null, "x").outcome().failure());
            assertEquals(f.clock.instant().plusSeconds(120), f.service.login(ANNA.email(), GOOD.toCharArray(), null,
                    null, null, "x").lockedUntil(), "doubled");
            f.clock.advance(Duration.ofSeconds(120));
            assertTrue(f.service.login(ANNA.email(), GOOD.toCharArray(), null, null, null, "x").outcome().ok());
            assertTrue(f.service.login(ANNA.email(), "wrong".toCharArray(), null, null, null, "x").outcome()
                    .failure() == Failure.WRONG_PASSWORD, "a success cleared the count");

            // one client trying many accounts is locked out too
            for (int i = 0; i < 5; i++) {
                f.service.login("nobody" + i + "@example.org", "whatever".toCharArray(), null, null, null, "203.0.113.7");
            }
            assertEquals(Failure.THROTTLED, f.service.login(ANNA.email(), GOOD.toCharArray(), null, null, null,
                    "203.0.113.7").outcome().failure());
            assertTrue(f.audit.actions().containsAll(List.of("space.login-failed", "space.throttled")));
            assertFalse(f.audit.all().contains(GOOD));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aForgottenPasswordIsResetByLinkAndEndsTheSessions(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.active();
            SpaceService.Login l = f.service.login(ANNA.email(), GOOD.toCharArray(), null, null, null, "c");
            int before = f.notifier.sent.size();
            assertEquals(SpaceService.ForgotOutcome.NOT_SENT, f.service.forgot("nobody@example.org", "c"));
            assertEquals(before, f.notifier.sent.size());
            assertEquals(SpaceService.ForgotOutcome.SENT, f.service.forgot("anna@EXAMPLE.org", "c"));
            Notification reset = f.notifier.sent.get(f.notifier.sent.size() - 1);
            assertEquals("cloudspace.password.reset", reset.template());
            assertEquals("2026-12-03 11:00 UTC", reset.model().get("expires"), "an hour");
            assertTrue(f.service.checkPassword(ANNA.email(), GOOD.toCharArray(), "c").ok(), "still works");

            assertTrue(f.service.setPassword(f.lastSecret(), "a brand new passphrase".toCharArray(), "c")
                    .ok());
            assertTrue(f.service.session(l.cookie()).isEmpty(), "the sessions end with the old password");
            assertEquals(Failure.WRONG_PASSWORD, f.service.checkPassword(ANNA.email(), GOOD.toCharArray(), "c")
                    .failure());
            assertTrue(f.service.checkPassword(ANNA.email(), "a brand new passphrase".toCharArray(), "c").ok());

            f.service.forgot(ANNA.email(), "c");
            f.service.forgot(ANNA.email(), "c");
            int sent = f.notifier.sent.size();
            assertEquals(SpaceService.ForgotOutcome.NOT_SENT, f.service.forgot(ANNA.email(), "c"), "3 an hour");
            assertEquals(sent, f.notifier.sent.size());
            assertTrue(f.audit.actions().contains("space.reset-requested"));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aHolderWithoutPasswordAsksForLinksAtMostThreeAnHour(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.cloudOrder(); // the first link
            assertEquals(SpaceService.ForgotOutcome.SENT, f.service.forgot(ANNA.email(), "c"));
            assertEquals(SpaceService.ForgotOutcome.SENT, f.service.forgot(ANNA.email(), "c"));
            assertEquals(SpaceService.ForgotOutcome.NOT_SENT, f.service.forgot(ANNA.email(), "c"));
            assertEquals(3, f.notifier.of("cloudspace.password.set").size(), "set-password links, not reset ones");
            f.clock.advance(Duration.ofMinutes(61));
            assertEquals(SpaceService.ForgotOutcome.SENT, f.service.forgot(ANNA.email(), "c"));
            assertTrue(f.service.setPassword(f.lastSecret(), GOOD.toCharArray(), "c").ok());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void noPasswordYetMeansNoLoginAndReauthenticationIsAudited(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.cloudOrder();
            assertEquals(Failure.WRONG_PASSWORD, f.service.checkPassword(ANNA.email(), new char[0], "c").failure());
            assertTrue(f.service.setPassword(f.lastSecret(), GOOD.toCharArray(), "c").ok());
            String id = f.accountId();
            assertTrue(f.service.confirm(id, GOOD.toCharArray(), null, null, null, "c").ok());
            assertEquals(Failure.WRONG_PASSWORD, f.service.confirm(id, "nope".toCharArray(), null, null, null, "c")
                    .failure());
            assertEquals(Failure.DISABLED, f.service.confirm("no-such-account", GOOD.toCharArray(), null, null, null,
                    "c").failure());
            assertTrue(f.audit.actions().containsAll(List.of("space.reauthenticated",
                    "space.reauthentication-failed")));
            assertEquals(Optional.empty(), f.service.factorChallenge(id), "no authenticator");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void anOpeningThatFailedIsDoneByTheJobAndNothingIsHalfDone(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.notifier.down = true;
            Order o = f.cloudOrder(); // the check's entered() fails: the order service logs it
            assertEquals(SpaceService.SpaceState.NOT_OPENED, f.service.view(o.id()).state(), "rolled back whole");
            assertTrue(f.service.accountByEmail(ANNA.email()).isEmpty(), "no account without its e-mail");
            assertEquals(0, f.service.openDue(), "still down");
            f.notifier.down = false;
            assertEquals(1, f.service.openDue());
            assertEquals(SpaceService.SpaceState.LINK_SENT, f.service.view(o.id()).state());
            assertEquals(0, f.service.openDue(), "once");

            f.settings.set(f.settings.get().withAutoOpen(false));
            Order waiting = f.cloudOrder();
            assertEquals(0, f.service.openDue(), "an operator opens it");
            assertEquals(SpaceService.SpaceState.NOT_OPENED, f.service.view(waiting.id()).state());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void oldSessionsLinksAndCountsArePurged(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.active();
            SpaceService.Login l = f.service.login(ANNA.email(), GOOD.toCharArray(), null, null, null, "c");
            f.service.login(ANNA.email(), "wrong".toCharArray(), null, null, null, "c");
            assertEquals(0, f.service.purge(), "nothing is old yet");
            f.service.logout(l.cookie());
            f.clock.advance(Duration.ofDays(8));
            assertEquals(3, f.service.purge(), "the session and the failure counts of the client and the login");
            assertEquals(0, f.service.purge());
            assertTrue(f.service.checkPassword(ANNA.email(), GOOD.toCharArray(), "c").ok(), "the account stays");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void anAddressWithoutAccountIsLockedOutLikeOneWith(String product) {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            for (int i = 0; i < 5; i++) {
                f.service.login("ghost@example.org", "guess".toCharArray(), null, null, null, "198.51.100." + i);
            }
            assertEquals(Failure.THROTTLED, f.service.login("Ghost@Example.org", "guess".toCharArray(), null, null,
                    null, "198.51.100.99").outcome().failure());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aLinkUsedTwiceAtOnceSetsOnePassword(String product) throws Exception {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.cloudOrder();
            String secret = f.lastSecret();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                java.util.List<java.util.concurrent.Future<SpaceService.PasswordOutcome>> runs = new java.util.ArrayList<>();
                for (String p : List.of("first passphrase here", "second passphrase here")) {
                    runs.add(pool.submit(() -> {
                        start.await();
                        return f.service.setPassword(secret, p.toCharArray(), "c");
                    }));
                }
                start.countDown();
                long ok = 0;
                for (var r : runs) {
                    ok += r.get().ok() ? 1 : 0;
                }
                assertEquals(1, ok, "one of them, the other finds the link used");
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, f.actionsOf("space.password-set").size());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aPasswordHashOfWeakerParametersIsReplacedAtTheNextLogin(String product) throws Exception {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.active();
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            javax.crypto.spec.PBEKeySpec spec = new javax.crypto.spec.PBEKeySpec(GOOD.toCharArray(), salt, 1000, 256);
            byte[] hash = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec)
                    .getEncoded();
            String old = "pbkdf2-sha256$1000$" + java.util.Base64.getEncoder().encodeToString(salt) + "$"
                    + java.util.Base64.getEncoder().encodeToString(hash);
            f.db.database().inTransaction(c -> {
                try (var ps = c.prepareStatement("UPDATE space_account SET password_hash = ?")) {
                    ps.setString(1, old);
                    return ps.executeUpdate();
                }
            });
            assertTrue(f.service.login(ANNA.email(), GOOD.toCharArray(), null, null, null, "c").outcome().ok());
            String now = f.service.accountByEmail(ANNA.email()).orElseThrow().passwordHash();
            assertTrue(now.startsWith("pbkdf2-sha256$600000$"), now);
            assertTrue(f.service.checkPassword(ANNA.email(), GOOD.toCharArray(), "c").ok());
        }
    }
}
