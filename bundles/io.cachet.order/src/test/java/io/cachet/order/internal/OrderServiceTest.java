package io.cachet.order.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderException;
import io.cachet.api.order.OrderListener;
import io.cachet.api.order.OrderPage;
import io.cachet.api.order.OrderQuery;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Submission;
import io.cachet.api.testing.MutableClock;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;

/**
 * The state machine on the real database, H2 and PostgreSQL: every allowed and refused transition, idempotent
 * re-asks, checks and listeners in the transaction, idempotency keys, concurrent transitions, expiry, the list.
 */
class OrderServiceTest {

    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final Submission API = new Submission("api:itest", null, null, "fr", null);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    static Stream<String> products() {
        return TestDatabases.products();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A check of one state that records whom it was told about. */
    static final class Check implements OrderCheck {
        final String kind;
        final OrderState state;
        final boolean applies;
        final List<String> entered = new CopyOnWriteArrayList<>();
        volatile OrderService service;
        volatile boolean sawCommitted = true;

        Check(String kind, OrderState state, boolean applies) {
            this.kind = kind;
            this.state = state;
            this.applies = applies;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public OrderState state() {
            return state;
        }

        @Override
        public boolean appliesTo(OrderRequest order) {
            return applies;
        }

        @Override
        public void entered(Order order) {
            entered.add(order.id());
            // told after the commit: another connection sees the order in this state
            sawCommitted &= service.find(order.id()).map(o -> o.state() == state).orElse(false);
        }
    }

    final class Fixture {
        final MutableClock clock = new MutableClock(T0);
        final List<OrderCheck> checks = new CopyOnWriteArrayList<>();
        final List<OrderListener> listeners = new CopyOnWriteArrayList<>();
        final List<OrderEvent> told = new CopyOnWriteArrayList<>();
        final AuditLog audit;
        final OrderService service;
        final TestDatabases.Handle db;

        Fixture(String product) {
            db = TestDatabases.open(product, dir);
            open.add(db);
            audit = AuditLogs.open(db.database(), List.of());
            listeners.add((event, order) -> told.add(event));
            service = new OrderService(db.database(), audit, Catalogue.of(Defaults.catalogue())::products,
                    () -> checks, () -> listeners, () -> "default", clock, Duration.ofDays(30));
        }

        Check check(String kind, OrderState state) {
            Check c = new Check(kind, state, true);
            c.service = service;
            checks.add(c);
            return c;
        }

        /** One check per state, so that an order can be driven anywhere. */
        void allChecks() {
            for (OrderState s : List.of(OrderState.VERIFICATION, OrderState.ACCEPTANCE, OrderState.ISSUANCE,
                    OrderState.DELIVERY)) {
                check("k." + s.name().toLowerCase(), s);
            }
        }

        Order submit() {
            return service.submit(request("ACME SAS"), API);
        }

        /** A new order in {@code state}, through the checks (or the ending transition). */
        Order at(OrderState state) {
            Order o = submit();
            switch (state) {
            case CANCELLED -> {
                return service.cancel(o.id(), "operator:a", "asked", false);
            }
            case REJECTED -> {
                return service.reject(o.id(), "operator:a", "forged");
            }
            case EXPIRED -> {
                return service.expire(o.id(), "system");
            }
            default -> { }
            }
            while (o.state() != state) {
                o = service.report(o.id(), "k." + o.state().name().toLowerCase(), CheckStatus.PASSED, "",
                        "check:k");
            }
            return o;
        }
    }

    static OrderRequest request(String organisation) {
        try {
            var body = (com.fasterxml.jackson.databind.node.ObjectNode) OrderJson.MAPPER.readTree(OrderValidationTest.VALID);
            ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("organisation")).put("name", organisation);
            return OrderJson.parse(body).request();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aSubmissionIsRecordedThenMovedToVerificationWithItsChecksAuditedAndTold(String product) {
        Fixture f = new Fixture(product);
        Check identity = f.check("identity", OrderState.VERIFICATION);
        Check notApplying = new Check("never", OrderState.VERIFICATION, false);
        f.checks.add(notApplying);
        f.check("acceptance", OrderState.ACCEPTANCE);
        long auditBefore = f.audit.head().map(AuditRecord::sequence).orElse(0L);

        Order o = f.submit();
        assertEquals(OrderState.VERIFICATION, o.state());
        assertEquals("default", o.brand());
        assertEquals("fr", o.language());
        assertEquals(T0.plus(Duration.ofDays(30)), o.expiresAt());
        assertEquals(2, o.version());
        assertEquals(1, o.checks().size());
        assertEquals("identity", o.checks().get(0).kind());
        assertEquals(CheckStatus.PENDING, o.checks().get(0).status());
        assertEquals(List.of(o.id()), identity.entered);
        assertTrue(identity.sawCommitted, "entered is called after the commit");
        assertEquals(List.of(), notApplying.entered);

        List<OrderEvent> events = f.service.events(o.id());
        assertEquals(2, events.size());
        assertNull(events.get(0).from());
        assertEquals(OrderState.SUBMITTED, events.get(0).to());
        assertEquals(OrderState.VERIFICATION, events.get(1).to());
        assertEquals("api:itest", events.get(1).actor());
        assertEquals(events, f.told);

        List<AuditRecord> audited = f.audit.read(auditBefore + 1, 100);
        assertEquals(List.of("order.submitted", "order.verification"),
                audited.stream().map(AuditRecord::action).toList());
        assertTrue(audited.stream().allMatch(r -> r.subject().equals("order:" + o.id())));
        assertEquals("api:itest", audited.get(0).actor());
    }

    /** What each transition gives from each state: "ok", "same" (idempotent) or "conflict". */
    @ParameterizedTest
    @MethodSource("products")
    void everyTransitionFromEveryStateIsAllowedOrRefusedAsTheStateMachineSays(String product) {
        Fixture f = new Fixture(product);
        f.allChecks();
        for (OrderState from : List.of(OrderState.VERIFICATION, OrderState.ACCEPTANCE, OrderState.ISSUANCE,
                OrderState.DELIVERY, OrderState.ACTIVE, OrderState.CANCELLED, OrderState.REJECTED, OrderState.EXPIRED)) {
            expect(f, from, "cancel by customer", from.cancellableByCustomer() ? OrderState.CANCELLED
                    : from == OrderState.CANCELLED ? from : null,
                    id -> f.service.cancel(id, "api:reseller", "changed mind", true));
            expect(f, from, "cancel by operator", from.open() || from == OrderState.CANCELLED ? OrderState.CANCELLED : null,
                    id -> f.service.cancel(id, "operator:a", "asked", false));
            expect(f, from, "reject", from.open() || from == OrderState.REJECTED ? OrderState.REJECTED : null,
                    id -> f.service.reject(id, "operator:a", "forged"));
            boolean expires = from == OrderState.VERIFICATION || from == OrderState.ACCEPTANCE; // the customer's part
            assertEquals(expires, from.expirable(), from.name());
            expect(f, from, "expire", expires || from == OrderState.EXPIRED ? OrderState.EXPIRED : null,
                    id -> f.service.expire(id, "system"));
            if (from.open()) {
                String kind = "k." + from.name().toLowerCase();
                expect(f, from, "checks passed", from.next(),
                        id -> f.service.report(id, kind, CheckStatus.PASSED, "", "check:" + kind));
            }
        }
    }

    private static void expect(Fixture f, OrderState from, String what, OrderState to,
            java.util.function.Function<String, Order> transition) {
        Order o = f.at(from);
        assertEquals(from, o.state());
        int eventsBefore = f.service.events(o.id()).size();
        if (to == null) {
            OrderException e = assertThrows(OrderException.class, () -> transition.apply(o.id()), what + " from " + from);
            assertEquals(OrderException.Reason.CONFLICT, e.reason(), what + " from " + from);
            assertEquals(from, f.service.find(o.id()).orElseThrow().state(), "a refusal changes nothing");
            assertEquals(eventsBefore, f.service.events(o.id()).size());
            return;
        }
        Order after = transition.apply(o.id());
        assertEquals(to, after.state(), what + " from " + from);
        if (to == from) {
            assertEquals(o.version(), after.version(), "asked again once done: nothing changes");
            assertEquals(eventsBefore, f.service.events(o.id()).size());
        } else {
            List<OrderEvent> events = f.service.events(o.id());
            assertEquals(eventsBefore + 1, events.size());
            assertEquals(from, events.get(events.size() - 1).from());
            assertEquals(to, events.get(events.size() - 1).to());
            Order again = transition.apply(o.id());
            assertEquals(after.version(), again.version(), what + " asked again is idempotent");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void checksMoveTheOrderOnlyWhenAllOfTheStatePassedAndAStateWithoutChecksWaits(String product) {
        Fixture f = new Fixture(product);
        f.check("a", OrderState.VERIFICATION);
        f.check("b", OrderState.VERIFICATION);
        Order o = f.submit();
        o = f.service.report(o.id(), "a", CheckStatus.PASSED, "", "check:a");
        assertEquals(OrderState.VERIFICATION, o.state());
        long v = o.version();
        assertEquals(v, f.service.report(o.id(), "a", CheckStatus.PASSED, "", "check:a").version(), "unchanged report");
        o = f.service.report(o.id(), "b", CheckStatus.FAILED, "registry extract older than 3 months", "check:b");
        assertEquals(OrderState.VERIFICATION, o.state());
        assertEquals("registry extract older than 3 months", o.checks().get(1).detail());
        String id = o.id();
        OrderException unknown = assertThrows(OrderException.class,
                () -> f.service.report(id, "nope", CheckStatus.PASSED, "", "check:nope"));
        assertEquals(OrderException.Reason.NOT_FOUND, unknown.reason());
        o = f.service.report(id, "b", CheckStatus.PASSED, "", "check:b");
        assertEquals(OrderState.ACCEPTANCE, o.state(), "no check installed for ACCEPTANCE: it waits there");
        assertEquals(OrderState.ACCEPTANCE, f.service.report(id, "a", CheckStatus.FAILED, "", "check:a").state(),
                "a report for a state the order left changes nothing");
        assertEquals(o.version(), f.service.find(id).orElseThrow().version());
        assertThrows(OrderException.class, () -> f.service.report("ord_none", "a", CheckStatus.PASSED, "", "x"));
    }

    @ParameterizedTest
    @MethodSource("products")
    void aListenerThatThrowsRollsTheTransitionBack(String product) {
        Fixture f = new Fixture(product);
        Order o = f.submit();
        f.listeners.add((event, order) -> {
            if (event.to() == OrderState.CANCELLED) {
                throw new IllegalStateException("webhook row could not be stored");
            }
        });
        assertThrows(IllegalStateException.class, () -> f.service.cancel(o.id(), "operator:a", "", false));
        assertEquals(OrderState.VERIFICATION, f.service.find(o.id()).orElseThrow().state());
        assertEquals(2, f.service.events(o.id()).size());
    }

    @ParameterizedTest
    @MethodSource("products")
    void anInvalidOrderIsRefusedWithItsFieldErrorsAndNothingStored(String product) {
        Fixture f = new Fixture(product);
        OrderRequest r = request("ACME SAS");
        OrderRequest bad = new OrderRequest(r.product(), 7, r.medium(), r.certificateManager(), null,
                new io.cachet.api.order.Organisation("ACME", "FR", "552100555", null, r.organisation().address()), null);
        OrderException e = assertThrows(OrderException.class, () -> f.service.submit(bad, API));
        assertEquals(OrderException.Reason.INVALID, e.reason());
        assertEquals(Set.of("validityYears", "organisation.identifier"),
                e.errors().stream().map(x -> x.field()).collect(java.util.stream.Collectors.toSet()));
        assertEquals(0, f.service.list(new OrderQuery(null, null, null, null, null, null, 10)).orders().size());
    }

    @ParameterizedTest
    @MethodSource("products")
    void anIdempotencyKeyGivesTheFirstOrderBackPerResellerAndRefusesAnotherBody(String product) throws Exception {
        Fixture f = new Fixture(product);
        Submission a = new Submission("api:rsl-a", "rsl_a", "acme", "en", "key-1");
        OrderService.Submitted first = f.service.submitted(request("ACME SAS"), a);
        assertTrue(first.created());
        assertEquals("acme", first.order().brand());
        assertEquals("rsl_a", first.order().reseller());
        assertEquals("en", first.order().language());
        OrderService.Submitted again = f.service.submitted(request("ACME SAS"), a);
        assertFalse(again.created());
        assertEquals(first.order().id(), again.order().id());
        OrderException other = assertThrows(OrderException.class, () -> f.service.submitted(request("Other SAS"), a));
        assertEquals(OrderException.Reason.CONFLICT, other.reason());
        OrderService.Submitted b = f.service.submitted(request("ACME SAS"),
                new Submission("api:rsl-b", "rsl_b", null, "fr", "key-1"));
        assertTrue(b.created(), "keys are per reseller");

        // the same key sent twice at once: one order
        Submission c = new Submission("api:rsl-c", "rsl_c", null, "fr", "key-race");
        List<Callable<String>> racers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 4; i++) {
            racers.add(() -> {
                start.await();
                return f.service.submitted(request("Race SAS"), c).order().id();
            });
        }
        Set<String> ids = new HashSet<>();
        for (Object r : run(racers, start)) {
            ids.add((String) r);
        }
        assertEquals(1, ids.size());
        assertEquals(1, f.service.list(new OrderQuery(null, "rsl_c", null, null, null, null, 10)).orders().size());
    }

    /** Runs the tasks on threads released together; each result, or the exception it threw. */
    private static List<Object> run(List<? extends Callable<?>> tasks, CountDownLatch start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Callable<?> t : tasks) {
                futures.add(pool.submit(t));
            }
            start.countDown();
            List<Object> out = new ArrayList<>();
            for (Future<?> fu : futures) {
                try {
                    out.add(fu.get(60, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    out.add(e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void concurrentTransitionsOfOneOrderEndInOneState(String product) throws Exception {
        Fixture f = new Fixture(product);
        for (int round = 0; round < 3; round++) {
            String id = f.submit().id();
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                tasks.add(() -> {
                    start.await();
                    return switch (n % 3) {
                        case 0 -> f.service.cancel(id, "operator:" + n, "r" + n, false);
                        case 1 -> f.service.reject(id, "operator:" + n, "r" + n);
                        default -> f.service.expire(id, "system");
                    };
                });
            }
            List<Object> results = run(tasks, start);
            Order end = f.service.find(id).orElseThrow();
            assertTrue(end.state().ended(), end.state().toString());
            for (Object r : results) {
                if (r instanceof Order o) {
                    assertEquals(end.state(), o.state(), "a success saw the one end state");
                } else {
                    assertTrue(r instanceof OrderException x && x.reason() == OrderException.Reason.CONFLICT,
                            "the others are refused: " + r);
                }
            }
            List<OrderEvent> events = f.service.events(id);
            assertEquals(3, events.size(), "one transition out of VERIFICATION: " + events);
            assertEquals(end.state(), events.get(2).to());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void openOrdersExpireOnceWhenTheirTimeHasComeEvenWithTwoSweepersAtOnce(String product) throws Exception {
        Fixture f = new Fixture(product);
        f.allChecks();
        List<String> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            open.add(f.submit().id());
        }
        open.add(f.at(OrderState.ACCEPTANCE).id());
        // past the customer's part the order is the provider's to finish (a certificate may exist): it stays
        String issuance = f.at(OrderState.ISSUANCE).id();
        String delivery = f.at(OrderState.DELIVERY).id();
        String active = f.at(OrderState.ACTIVE).id();
        String cancelled = f.at(OrderState.CANCELLED).id();
        assertEquals(0, f.service.expireDue(50), "not yet");
        f.clock.set(T0.plus(Duration.ofDays(30)).plusSeconds(1));
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> sweepers = List.of(() -> {
            start.await();
            return f.service.expireDue(50);
        }, () -> {
            start.await();
            return f.service.expireDue(50);
        });
        int expired = 0;
        for (Object n : run(sweepers, start)) {
            expired += (Integer) n;
        }
        assertEquals(5, expired);
        for (String id : open) {
            assertEquals(OrderState.EXPIRED, f.service.find(id).orElseThrow().state());
            List<OrderEvent> events = f.service.events(id);
            assertEquals("system", events.get(events.size() - 1).actor());
            assertEquals(OrderState.EXPIRED, events.get(events.size() - 1).to());
        }
        assertEquals(OrderState.ISSUANCE, f.service.find(issuance).orElseThrow().state());
        assertEquals(OrderState.DELIVERY, f.service.find(delivery).orElseThrow().state());
        assertEquals(0, f.service.expireDue(50), "nothing more is due");
        assertEquals(OrderState.ACTIVE, f.service.find(active).orElseThrow().state());
        assertEquals(OrderState.CANCELLED, f.service.find(cancelled).orElseThrow().state());
    }

    @ParameterizedTest
    @MethodSource("products")
    void theListFiltersAndPagesNewestFirst(String product) {
        Fixture f = new Fixture(product);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            f.clock.set(T0.plusSeconds(i));
            ids.add(f.service.submit(request("Shop " + i + " SAS"), new Submission("api:x", i % 2 == 0 ? "rsl_even" : null,
                    null, "fr", null)).id());
        }
        f.service.cancel(ids.get(4), "operator:a", "", false);
        OrderPage p1 = f.service.list(new OrderQuery(null, null, null, null, null, null, 2));
        assertEquals(List.of(ids.get(4), ids.get(3)), p1.orders().stream().map(Order::id).toList());
        OrderPage p2 = f.service.list(new OrderQuery(null, null, null, null, null, p1.next(), 2));
        assertEquals(List.of(ids.get(2), ids.get(1)), p2.orders().stream().map(Order::id).toList());
        OrderPage p3 = f.service.list(new OrderQuery(null, null, null, null, null, p2.next(), 2));
        assertEquals(List.of(ids.get(0)), p3.orders().stream().map(Order::id).toList());
        assertNull(p3.next());
        assertEquals(List.of(ids.get(4)), f.service.list(new OrderQuery(OrderState.CANCELLED, null, null, null, null,
                null, 10)).orders().stream().map(Order::id).toList());
        assertEquals(List.of(ids.get(4), ids.get(2), ids.get(0)), f.service.list(new OrderQuery(null, "rsl_even", null,
                null, null, null, 10)).orders().stream().map(Order::id).toList());
        assertEquals(List.of(ids.get(3), ids.get(2)), f.service.list(new OrderQuery(null, null, T0.plusSeconds(2),
                T0.plusSeconds(4), null, null, 10)).orders().stream().map(Order::id).toList());
        assertEquals(List.of(ids.get(3)), f.service.list(new OrderQuery(null, null, null, null, "shop 3", null, 10))
                .orders().stream().map(Order::id).toList());
        assertEquals(5, f.service.list(new OrderQuery(null, null, null, null, "ANNA@example", null, 10)).orders().size());
        assertEquals(0, f.service.list(new OrderQuery(null, null, null, null, "%", null, 10)).orders().size(),
                "LIKE wildcards are searched as text");
        assertNotEquals(null, f.service.list(new OrderQuery(null, null, null, null, null, null, 1)).next());
        assertThrows(OrderException.class, () -> f.service.list(new OrderQuery(null, null, null, null, null, "junk", 10)));
    }

    @ParameterizedTest
    @MethodSource("products")
    void theExpiringListHoldsTheOpenOrdersBeforeADeadlineSoonestFirstAndPages(String product) {
        Fixture f = new Fixture(product);
        f.allChecks();
        List<String> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            f.clock.set(T0.plus(Duration.ofDays(i)));
            open.add(f.submit().id());
        }
        f.clock.set(T0.plus(Duration.ofDays(3)));
        String acceptance = f.at(OrderState.ACCEPTANCE).id();
        f.at(OrderState.ISSUANCE);
        f.at(OrderState.CANCELLED);
        f.clock.set(T0.plus(Duration.ofDays(10)));
        String later = f.submit().id();
        // deadlines: day 30, 31, 32, 33 (acceptance), 40 (later); ISSUANCE and CANCELLED cannot expire
        Instant day33 = T0.plus(Duration.ofDays(33)).plusSeconds(1);
        OrderPage p1 = f.service.expiring(day33, null, 3);
        assertEquals(open, p1.orders().stream().map(Order::id).toList());
        OrderPage p2 = f.service.expiring(day33, p1.next(), 3);
        assertEquals(List.of(acceptance), p2.orders().stream().map(Order::id).toList());
        assertNull(p2.next());
        assertEquals(List.of(open.get(0), open.get(1)), f.service.expiring(T0.plus(Duration.ofDays(32)), null, 10)
                .orders().stream().map(Order::id).toList(), "strictly before the instant given");
        assertEquals(5, f.service.expiring(T0.plus(Duration.ofDays(41)), null, 10).orders().size());
        assertTrue(f.service.expiring(T0.plus(Duration.ofDays(41)), null, 10).orders().stream()
                .anyMatch(o -> o.id().equals(later)));
        OrderException refused = assertThrows(OrderException.class, () -> f.service.expiring(day33,
                f.service.list(new OrderQuery(null, null, null, null, null, null, 1)).next(), 3),
                "the list's cursor is not the deadline's");
        assertEquals(OrderException.Reason.INVALID, refused.reason());
        assertThrows(OrderException.class, () -> f.service.list(new OrderQuery(null, null, null, null, null,
                p1.next(), 3)), "nor the other way round");
        assertThrows(OrderException.class, () -> f.service.expiring(day33, null, 0));
        assertThrows(OrderException.class, () -> f.service.expiring(day33, null, 201));
    }
}
