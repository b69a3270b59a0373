package io.cachet.portal.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.link.IssuedLink;
import io.cachet.api.link.PersonalLink;
import io.cachet.api.link.PersonalLinks.Outcome;
import io.cachet.api.order.OrderRole;
import io.cachet.api.security.Digests;
import io.cachet.api.testing.MutableClock;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;

/** Personal links on H2 and PostgreSQL: hashed tokens, expiry, one live link per person and purpose, renewal. */
class LinkStoreTest {

    @TempDir
    Path dir;

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    private record Fixture(LinkStore links, AuditLog audit, MutableClock clock, Set<String> ended,
            TestDatabases.Handle db) {
    }

    private Fixture fixture(TestDatabases.Handle db) {
        LinkStore.migrate(db.database());
        AuditLog audit = AuditLogs.open(db.database(), List.of());
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        Set<String> ended = new java.util.concurrent.CopyOnWriteArraySet<>();
        return new Fixture(new LinkStore(db.database(), audit, clock, new SecureRandom(), "https://cachet.example/",
                ended::contains), audit, clock, ended, db);
    }

    @ParameterizedTest
    @MethodSource("products")
    void aTokenHas256RandomBitsAndOnlyItsHashIsStored(String product) {
        try (TestDatabases.Handle db = TestDatabases.open(product, dir)) {
            Fixture f = fixture(db);
            IssuedLink a = f.links.issue("ord_1", OrderRole.CERTIFICATE_MANAGER, "status", "anna@example.org",
                    "/order/status", Duration.ofDays(30), "customer");
            IssuedLink b = f.links.issue("ord_1", OrderRole.LEGAL_REPRESENTATIVE, "status", "bob@example.org",
                    "/order/status", Duration.ofDays(30), "customer");
            assertEquals(32, Base64.getUrlDecoder().decode(a.token()).length, "256 bits");
            assertTrue(a.token().matches("[A-Za-z0-9_-]{43}"), "URL-safe, no padding: " + a.token());
            assertNotEquals(a.token(), b.token());
            assertEquals("https://cachet.example/order/status/" + a.token(), a.url());

            List<String> stored = db.database().inTransaction(c -> {
                List<String> all = new ArrayList<>();
                try (var rs = c.createStatement().executeQuery("SELECT * FROM portal_link")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            all.add(String.valueOf(rs.getObject(i)));
                        }
                    }
                }
                return all;
            });
            assertFalse(stored.stream().anyMatch(v -> v.contains(a.token()) || v.contains(b.token())),
                    "no token in the database");
            assertTrue(stored.contains(Digests.sha256Hex(a.token())), "its SHA-256 is");
            assertFalse(f.audit.read(1, 100).stream().anyMatch(r -> r.toString().contains(a.token())),
                    "no token in the audit log");
            assertEquals(List.of("portal.link.issued", "portal.link.issued"),
                    f.audit.read(1, 100).stream().map(AuditRecord::action).toList());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aLinkOpensForItsPurposeUntilItExpires(String product) {
        try (TestDatabases.Handle db = TestDatabases.open(product, dir)) {
            Fixture f = fixture(db);
            IssuedLink a = f.links.issue("ord_2", OrderRole.CERTIFICATE_MANAGER, "status", "anna@example.org",
                    "/order/status", Duration.ofDays(2), "customer");
            var opened = f.links.open(a.token(), "status");
            assertEquals(Outcome.VALID, opened.outcome());
            assertEquals("ord_2", opened.link().orderId());
            assertEquals(f.clock.instant(), opened.link().usedAt());
            assertEquals(f.clock.instant(), f.links.links("ord_2").get(0).usedAt(), "marked used");

            assertEquals(Outcome.UNKNOWN, f.links.open(a.token(), "acceptance").outcome(), "another purpose");
            assertNull(f.links.open(a.token(), "acceptance").link(), "tells nothing");
            char[] forged = a.token().toCharArray();
            forged[10] = forged[10] == 'A' ? 'B' : 'A';
            assertEquals(Outcome.UNKNOWN, f.links.open(new String(forged), "status").outcome(), "forged");
            assertEquals(Outcome.UNKNOWN, f.links.open("", "status").outcome());
            assertEquals(Outcome.UNKNOWN, f.links.open("../../etc/passwd", "status").outcome());
            assertEquals(Outcome.UNKNOWN, f.links.open(null, "status").outcome());

            f.clock.advance(Duration.ofDays(2).minusSeconds(1));
            assertEquals(Outcome.VALID, f.links.open(a.token(), "status").outcome());
            f.clock.advance(Duration.ofSeconds(1));
            var expired = f.links.open(a.token(), "status");
            assertEquals(Outcome.EXPIRED, expired.outcome());
            assertEquals("anna@example.org", expired.link().email(), "known, so that a fresh one can be sent");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void issuingAgainRevokesThePreviousLinkOfThatPersonAndPurposeOnly(String product) {
        try (TestDatabases.Handle db = TestDatabases.open(product, dir)) {
            Fixture f = fixture(db);
            IssuedLink first = f.links.issue("ord_3", OrderRole.CERTIFICATE_MANAGER, "status", "anna@example.org",
                    "/order/status", Duration.ofDays(30), "customer");
            IssuedLink other = f.links.issue("ord_3", OrderRole.LEGAL_REPRESENTATIVE, "status", "bob@example.org",
                    "/order/status", Duration.ofDays(30), "customer");
            IssuedLink pin = f.links.issue("ord_3", OrderRole.CERTIFICATE_MANAGER, "pin", "anna@example.org",
                    "/order/pin", Duration.ofDays(30), "customer");
            IssuedLink second = f.links.issue("ord_3", OrderRole.CERTIFICATE_MANAGER, "status", "anna@example.org",
                    "/order/status", Duration.ofDays(30), "customer");
            assertEquals(Outcome.REVOKED, f.links.open(first.token(), "status").outcome());
            assertEquals(Outcome.VALID, f.links.open(second.token(), "status").outcome());
            assertEquals(Outcome.VALID, f.links.open(other.token(), "status").outcome(), "the other person's");
            assertEquals(Outcome.VALID, f.links.open(pin.token(), "pin").outcome(), "another purpose");
            List<PersonalLink> all = f.links.links("ord_3");
            assertEquals(4, all.size());
            assertEquals(3, all.stream().filter(l -> l.revokedAt() == null).count());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void anExpiredLinkIsRenewedToTheSameAddressUnlessTheOrderEnded(String product) {
        try (TestDatabases.Handle db = TestDatabases.open(product, dir)) {
            Fixture f = fixture(db);
            IssuedLink a = f.links.issue("ord_4", OrderRole.LEGAL_REPRESENTATIVE, "status", "bob@example.org",
                    "/order/status", Duration.ofDays(1), "customer");
            f.clock.advance(Duration.ofDays(3));
            var expired = f.links.open(a.token(), "status");
            assertEquals(Outcome.EXPIRED, expired.outcome());

            IssuedLink fresh = f.links.renew(expired.link().id(), Duration.ofDays(7), "customer").orElseThrow();
            assertEquals("bob@example.org", fresh.link().email());
            assertEquals(OrderRole.LEGAL_REPRESENTATIVE, fresh.link().role());
            assertEquals("ord_4", fresh.link().orderId());
            assertTrue(fresh.url().startsWith("https://cachet.example/order/status/"), fresh.url());
            assertEquals(f.clock.instant().plus(Duration.ofDays(7)), fresh.link().expiresAt());
            assertEquals(Outcome.VALID, f.links.open(fresh.token(), "status").outcome());
            assertEquals(Outcome.REVOKED, f.links.open(a.token(), "status").outcome(), "the old one stays shut");
            assertTrue(f.audit.read(1, 100).stream().anyMatch(r -> r.action().equals("portal.link.renewed")));

            // renewing an older one again replaces the newest: still one live link
            IssuedLink again = f.links.renew(a.link().id(), Duration.ofDays(7), "customer").orElseThrow();
            assertEquals(Outcome.REVOKED, f.links.open(fresh.token(), "status").outcome());
            assertEquals(Outcome.VALID, f.links.open(again.token(), "status").outcome());

            f.ended.add("ord_4");
            assertTrue(f.links.renew(a.link().id(), Duration.ofDays(7), "customer").isEmpty(), "order ended");
            assertTrue(f.links.renew("lnk_nope", Duration.ofDays(7), "customer").isEmpty(), "no such link");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void revokingAllShutsEveryLinkOfTheOrderOnlyAndIsAudited(String product) {
        try (TestDatabases.Handle db = TestDatabases.open(product, dir)) {
            Fixture f = fixture(db);
            IssuedLink a = f.links.issue("ord_5", OrderRole.CERTIFICATE_MANAGER, "status", "anna@example.org",
                    "/order/status", Duration.ofDays(30), "customer");
            IssuedLink b = f.links.issue("ord_5", OrderRole.LEGAL_REPRESENTATIVE, "status", "bob@example.org",
                    "/order/status", Duration.ofDays(30), "customer");
            IssuedLink elsewhere = f.links.issue("ord_6", OrderRole.CERTIFICATE_MANAGER, "status", "c@example.org",
                    "/order/status", Duration.ofDays(30), "customer");
            f.links.revokeAll("ord_5", "operator:alice");
            assertEquals(Outcome.REVOKED, f.links.open(a.token(), "status").outcome());
            assertEquals(Outcome.REVOKED, f.links.open(b.token(), "status").outcome());
            assertEquals(Outcome.VALID, f.links.open(elsewhere.token(), "status").outcome());
            AuditRecord last = f.audit.head().orElseThrow();
            assertEquals("portal.link.revoked", last.action());
            assertEquals("operator:alice", last.actor());
            long before = f.audit.head().orElseThrow().sequence();
            f.links.revokeAll("ord_5", "operator:alice");
            assertEquals(before, f.audit.head().orElseThrow().sequence(), "nothing left to revoke, nothing audited");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aLinkRolledBackWithItsTransactionNeverExisted(String product) {
        try (TestDatabases.Handle db = TestDatabases.open(product, dir)) {
            Fixture f = fixture(db);
            AtomicReference<IssuedLink> made = new AtomicReference<>();
            assertThrows(IllegalStateException.class, () -> db.database().inTransaction(c -> {
                made.set(f.links.issue("ord_7", OrderRole.CERTIFICATE_MANAGER, "status", "anna@example.org",
                        "/order/status", Duration.ofDays(30), "customer"));
                throw new IllegalStateException("the order's transition failed");
            }));
            assertEquals(Outcome.UNKNOWN, f.links.open(made.get().token(), "status").outcome());
            assertTrue(f.links.links("ord_7").isEmpty());
            assertTrue(f.audit.head().isEmpty(), "its audit record went with it");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void badArgumentsAreRefusedNamingThem(String product) {
        try (TestDatabases.Handle db = TestDatabases.open(product, dir)) {
            Fixture f = fixture(db);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.links.issue("ord_8",
                    OrderRole.CERTIFICATE_MANAGER, "Status!", "a@example.org", "/order/status", Duration.ofDays(1),
                    "customer"));
            assertTrue(e.getMessage().startsWith("purpose"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> f.links.issue("ord_8",
                    OrderRole.CERTIFICATE_MANAGER, "status", "a@example.org", "https://evil.example/x",
                    Duration.ofDays(1), "customer"));
            assertTrue(e.getMessage().startsWith("path"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> f.links.issue("ord_8",
                    OrderRole.CERTIFICATE_MANAGER, "status", "a@example.org", "/order/status", Duration.ZERO,
                    "customer"));
            assertTrue(e.getMessage().startsWith("validity"), e.getMessage());
            assertArrayEquals(new Object[0], f.links.links("ord_8").toArray());
        }
    }
}
