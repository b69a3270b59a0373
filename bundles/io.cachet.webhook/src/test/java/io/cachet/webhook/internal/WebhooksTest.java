package io.cachet.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderState;
import io.cachet.api.testing.MutableClock;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;
import io.cachet.webhook.internal.WebhookStore.Attempt;
import io.cachet.webhook.internal.WebhookStore.Delivery;

/** Webhooks on H2 and PostgreSQL against a real HTTP receiver on this machine. */
class WebhooksTest {

    @TempDir
    Path dir;

    static Stream<String> products() {
        return TestDatabases.products();
    }

    final class Env implements AutoCloseable {
        final TestDatabases.Handle handle;
        final AuditLog audit;
        final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        final WebhookStore store;
        final Webhooks webhooks;

        Env(String product, int maxAttempts) {
            handle = TestDatabases.open(product, dir);
            audit = AuditLogs.open(handle.database(), List.of());
            store = new WebhookStore(handle.database());
            webhooks = new Webhooks(store, TestVaults.embedded(dir), audit, new UrlPolicy(true, false),
                    new Webhooks.Settings(new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10), maxAttempts),
                            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofHours(24)), clock, "test-node");
        }

        /** The order service calls the listeners inside the transition's transaction: so does this. */
        void transition(String orderId, String reseller, long sequence, OrderState from, OrderState to) {
            Instant at = clock.instant();
            Order order = new Order(orderId, to, null, reseller, "default", "fr", at, at, null,
                    to == OrderState.REJECTED ? "documents unreadable" : null, List.of(), sequence);
            handle.database().inTransaction(c -> {
                webhooks.transitioned(new OrderEvent(orderId, sequence, at, from, to, "system",
                        to == OrderState.REJECTED ? "documents unreadable" : ""), order);
                return null;
            });
        }

        List<String> actions(String subject) {
            return audit.read(1, 10_000).stream().filter(r -> r.subject().equals(subject)).map(AuditRecord::action)
                    .toList();
        }

        long count(String sql) {
            return handle.database().inTransaction(c -> {
                try (var rs = c.createStatement().executeQuery(sql)) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        }

        @Override
        public void close() {
            handle.close();
        }
    }

    private static boolean verifies(Receiver.Received r, String secret, int entry) {
        String[] entries = r.header("Cachet-Signature").split(",");
        long ts = Long.parseLong(r.header("Cachet-Timestamp"));
        return entries.length > entry && entries[entry].equals("v1=" + Signatures.hmac(secret, ts, r.body()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aTransitionIsPostedSignedRetriedAfterA500AndLoggedOnce(String product) throws Exception {
        try (Env e = new Env(product, 5); Receiver receiver = new Receiver()) {
            Webhooks.Issued hook = e.webhooks.register("rsl_a", receiver.url() + "hook", "api:rsl-a");
            assertTrue(hook.secret().startsWith("whsec_"));
            assertEquals(0, e.count("SELECT COUNT(*) FROM webhook_endpoint WHERE secret LIKE '%"
                    + hook.secret().substring(6) + "%'"), "the secret is sealed at rest");
            e.webhooks.register("rsl_b", receiver.url() + "other", "api:rsl-b");

            e.transition("ord_1", "rsl_a", 2, OrderState.SUBMITTED, OrderState.VERIFICATION);
            e.transition("ord_1", "rsl_a", 2, OrderState.SUBMITTED, OrderState.VERIFICATION); // told twice
            e.transition("ord_2", null, 1, null, OrderState.SUBMITTED); // ordered directly: no reseller
            assertEquals(1, e.count("SELECT COUNT(*) FROM webhook_delivery"), "one row, for rsl_a's webhook only");

            receiver.answers.add(500);
            assertTrue(e.webhooks.deliverOne());
            assertEquals(1, receiver.received.size());
            Delivery d = e.store.deliveries(hook.endpoint().id(), 0, 10).keySet().iterator().next();
            assertEquals(WebhookStore.Status.PENDING, d.status());
            assertEquals(e.clock.instant().plusSeconds(30), d.nextAttemptAt());
            assertFalse(e.webhooks.deliverOne(), "not due before the back-off");
            e.clock.advance(Duration.ofSeconds(30));
            assertTrue(e.webhooks.deliverOne());
            assertFalse(e.webhooks.deliverOne(), "delivered: nothing more to send");

            assertEquals(2, receiver.received.size());
            Receiver.Received first = receiver.received.get(0);
            Receiver.Received second = receiver.received.get(1);
            assertEquals("POST", second.method());
            assertEquals(d.id(), second.header("Cachet-Webhook-Id"));
            assertEquals(first.header("Cachet-Webhook-Id"), second.header("Cachet-Webhook-Id"));
            assertTrue(verifies(first, hook.secret(), 0));
            assertTrue(verifies(second, hook.secret(), 0));
            assertEquals(e.clock.instant().getEpochSecond(), Long.parseLong(second.header("Cachet-Timestamp")));
            assertEquals(new String(first.body(), StandardCharsets.UTF_8), new String(second.body(), StandardCharsets.UTF_8));
            JsonNode body = new ObjectMapper().readTree(second.body());
            assertEquals(d.id(), body.path("id").asText());
            assertEquals("order.state_changed", body.path("type").asText());
            assertEquals("ord_1", body.path("order").path("id").asText());
            assertEquals("VERIFICATION", body.path("order").path("state").asText());
            assertEquals("SUBMITTED", body.path("order").path("previousState").asText());
            assertTrue(body.path("order").path("reason").isNull());

            Map.Entry<Delivery, List<Attempt>> logged = e.store.deliveries(hook.endpoint().id(), 0, 10).entrySet()
                    .iterator().next();
            assertEquals(WebhookStore.Status.DELIVERED, logged.getKey().status());
            assertEquals(List.of(500, 204), logged.getValue().stream().map(Attempt::statusCode).toList());
            assertEquals("HTTP 500", logged.getValue().get(0).error());
            assertEquals(e.clock.instant(), logged.getValue().get(0).nextAttemptAt());
            assertNull(logged.getValue().get(1).nextAttemptAt());
            assertEquals(List.of("webhook.delivery.queued", "webhook.delivery.retry", "webhook.delivery.delivered"),
                    e.actions("webhook-delivery:" + d.id()));
            assertEquals(List.of("webhook.created"), e.actions("webhook:" + hook.endpoint().id()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aRevokedCertificateOfAResellersOrderIsPostedBesideItsStateChanges(String product) throws Exception {
        try (Env e = new Env(product, 5); Receiver receiver = new Receiver()) {
            Webhooks.Issued hook = e.webhooks.register("rsl_a", receiver.url() + "hook", "api:rsl-a");
            e.transition("ord_1", "rsl_a", 1, null, OrderState.SUBMITTED);
            e.transition("ord_1", "rsl_a", 5, OrderState.DELIVERY, OrderState.ACTIVE);
            Instant at = e.clock.instant();
            Order order = new Order("ord_1", OrderState.ACTIVE, null, "rsl_a", "default", "fr", at, at, null, null,
                    List.of(), 5);
            Order direct = new Order("ord_2", OrderState.ACTIVE, null, null, "default", "fr", at, at, null, null,
                    List.of(), 5);
            java.util.function.BiConsumer<Order, String> revoke = (o, serial) -> e.handle.database().inTransaction(
                    c -> {
                        new RevocationWebhooks(s -> Optional.of(o.id()), id -> Optional.of(o), e.webhooks)
                                .revoked(new io.cachet.api.ca.IssuedCertificate(new java.math.BigInteger(serial, 16),
                                        null, Optional.of(new io.cachet.api.ca.IssuedCertificate.Revocation(at,
                                                io.cachet.api.ca.RevocationReason.KEY_COMPROMISE))), "operator:olga");
                        return null;
                    });
            revoke.accept(order, "0a1b");
            revoke.accept(order, "0c2d"); // the order's next certificate, revoked too
            revoke.accept(direct, "0e3f"); // ordered directly: no reseller
            assertEquals(4, e.count("SELECT COUNT(*) FROM webhook_delivery"), "two transitions, two revocations");
            assertEquals(2, e.count("SELECT COUNT(*) FROM webhook_delivery WHERE event_type = 'certificate.revoked'"
                    + " AND event_sequence < 0"), "numbered apart from the transitions");

            while (e.webhooks.deliverOne()) {
                // all four (queued at the same instant: in no particular order)
            }
            assertEquals(4, receiver.received.size());
            Map<String, JsonNode> bySerial = new java.util.TreeMap<>();
            for (Receiver.Received r : receiver.received) {
                JsonNode b = new ObjectMapper().readTree(r.body());
                assertTrue(verifies(r, hook.secret(), 0));
                if (b.path("type").asText().equals("certificate.revoked")) {
                    bySerial.put(b.path("certificate").path("serial").asText(), b);
                }
            }
            assertEquals(List.of("a1b", "c2d"), List.copyOf(bySerial.keySet()));
            JsonNode revoked = bySerial.get("a1b");
            assertEquals(at.toString(), revoked.path("createdAt").asText());
            assertEquals("ord_1", revoked.path("order").path("id").asText());
            assertEquals("ACTIVE", revoked.path("order").path("state").asText());
            assertEquals(at.toString(), revoked.path("certificate").path("revokedAt").asText());
            assertEquals("keyCompromise", revoked.path("certificate").path("reason").asText());
            assertEquals("operator:olga", e.audit.read(1, 10_000).stream()
                    .filter(r -> r.subject().equals("webhook-delivery:" + revoked.path("id").asText()))
                    .findFirst().orElseThrow().actor(), "queued with the revocation's actor");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aRevocationIsNotToldWhileTheIssuanceOrOrderServiceIsMissing(String product) throws Exception {
        try (Env e = new Env(product, 5)) {
            e.webhooks.register("rsl_a", "http://localhost:1/hook", "api:rsl-a");
            var c = new io.cachet.api.ca.IssuedCertificate(java.math.BigInteger.TEN, null, Optional.of(
                    new io.cachet.api.ca.IssuedCertificate.Revocation(e.clock.instant(),
                            io.cachet.api.ca.RevocationReason.SUPERSEDED)));
            new RevocationWebhooks(s -> {
                throw new IllegalStateException("the issuance module is not available");
            }, id -> Optional.empty(), e.webhooks).revoked(c, "x");
            new RevocationWebhooks(s -> Optional.of("ord_1"), id -> Optional.empty(), e.webhooks).revoked(c, "x");
            new RevocationWebhooks(s -> Optional.empty(), id -> Optional.empty(), e.webhooks).revoked(c, "x");
            assertEquals(0, e.count("SELECT COUNT(*) FROM webhook_delivery"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aRotatedSecretSignsAloneOnceThePreviousOnesGraceIsOver(String product) throws Exception {
        try (Env e = new Env(product, 5); Receiver receiver = new Receiver()) {
            Webhooks.Issued hook = e.webhooks.register("rsl_a", receiver.url(), "api:rsl-a");
            Webhooks.Issued rotated = e.webhooks.rotate(hook.endpoint().id(), "api:rsl-a");
            assertNotEquals(hook.secret(), rotated.secret());
            assertEquals(e.clock.instant().plus(Duration.ofHours(24)), rotated.endpoint().previousUntil());
            e.transition("ord_1", "rsl_a", 2, OrderState.SUBMITTED, OrderState.VERIFICATION);
            assertTrue(e.webhooks.deliverOne());
            Receiver.Received during = receiver.received.get(0);
            assertTrue(verifies(during, rotated.secret(), 0), "the new secret first");
            assertTrue(verifies(during, hook.secret(), 1), "the previous one alongside");

            e.clock.advance(Duration.ofHours(24));
            e.transition("ord_1", "rsl_a", 3, OrderState.VERIFICATION, OrderState.REJECTED);
            assertTrue(e.webhooks.deliverOne());
            Receiver.Received after = receiver.received.get(1);
            assertEquals(1, after.header("Cachet-Signature").split(",").length);
            assertTrue(verifies(after, rotated.secret(), 0));
            assertEquals("documents unreadable", new ObjectMapper().readTree(after.body()).path("order").path("reason")
                    .asText());
            assertEquals(List.of("webhook.created", "webhook.secret.rotated"), e.actions("webhook:" + hook.endpoint().id()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void redirectsAreNotFollowedFailuresEndAfterTheLastAttemptAndDeletionEndsWhatIsPending(String product)
            throws Exception {
        try (Env e = new Env(product, 2); Receiver receiver = new Receiver()) {
            Webhooks.Issued hook = e.webhooks.register("rsl_a", receiver.url(), "api:rsl-a");
            e.transition("ord_1", "rsl_a", 2, OrderState.SUBMITTED, OrderState.VERIFICATION);
            receiver.answers.add(302);
            receiver.answers.add(503);
            assertTrue(e.webhooks.deliverOne());
            e.clock.advance(Duration.ofMinutes(1));
            assertTrue(e.webhooks.deliverOne());
            assertEquals(2, receiver.received.size(), "the redirect's target was never asked");
            Map.Entry<Delivery, List<Attempt>> failed = e.store.deliveries(hook.endpoint().id(), 0, 10).entrySet()
                    .iterator().next();
            assertEquals(WebhookStore.Status.FAILED, failed.getKey().status());
            assertEquals(List.of("HTTP 302", "HTTP 503"), failed.getValue().stream().map(Attempt::error).toList());
            e.clock.advance(Duration.ofHours(1));
            assertFalse(e.webhooks.deliverOne(), "FAILED is final");

            e.transition("ord_1", "rsl_a", 3, OrderState.VERIFICATION, OrderState.CANCELLED);
            e.webhooks.delete(hook.endpoint().id(), "api:rsl-a");
            assertFalse(e.webhooks.deliverOne());
            assertEquals(2, e.count("SELECT COUNT(*) FROM webhook_delivery WHERE status = 'FAILED'"));
            assertEquals(Optional.empty(), e.webhooks.find(hook.endpoint().id()));
            e.transition("ord_1", "rsl_a", 4, OrderState.CANCELLED, OrderState.CANCELLED);
            assertEquals(2, e.count("SELECT COUNT(*) FROM webhook_delivery"), "nothing queued for a deleted webhook");
            assertThrows(Webhooks.NoSuchElementException.class, () -> e.webhooks.rotate(hook.endpoint().id(), "x"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void twoClaimersNeverGetTheSameDelivery(String product) throws Exception {
        try (Env e = new Env(product, 5)) {
            e.webhooks.register("rsl_a", "http://127.0.0.1:9/a", "x");
            e.webhooks.register("rsl_a", "http://127.0.0.1:9/b", "x");
            e.transition("ord_1", "rsl_a", 2, OrderState.SUBMITTED, OrderState.VERIFICATION);
            assertEquals(2, e.count("SELECT COUNT(*) FROM webhook_delivery"));
            Instant now = e.clock.instant();
            CountDownLatch claimed = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> e.handle.database().inTransaction(c -> {
                String id = e.store.claimNext(c, now).orElseThrow().id();
                claimed.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
                return id;
            }));
            assertTrue(claimed.await(60, TimeUnit.SECONDS));
            CountDownLatch claimedToo = new CountDownLatch(1);
            CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> e.handle.database().inTransaction(c -> {
                String id = e.store.claimNext(c, now).orElseThrow().id();
                claimedToo.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
                return id;
            }));
            assertTrue(claimedToo.await(60, TimeUnit.SECONDS), "the second claimer skipped the locked row, not waited");
            assertEquals(Optional.empty(), e.handle.database().inTransaction(c -> e.store.claimNext(c, now)),
                    "both rows held: a third claimer gets none");
            release.countDown();
            assertNotEquals(holder.get(60, TimeUnit.SECONDS), other.get(60, TimeUnit.SECONDS));
        }
    }
}
