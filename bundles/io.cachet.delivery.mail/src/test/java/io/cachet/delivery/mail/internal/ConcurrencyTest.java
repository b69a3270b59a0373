package io.cachet.delivery.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.order.Order;
import io.cachet.store.testing.TestDatabases;

/** Several callers at once (as several nodes on one database would be): one letter, one winning move. */
class ConcurrencyTest {

    @TempDir
    Path dir;

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    private static <T> List<Future<T>> together(ExecutorService pool, List<Callable<T>> work) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> out = new ArrayList<>();
        for (Callable<T> w : work) {
            out.add(pool.submit(() -> {
                start.await();
                return w.call();
            }));
        }
        start.countDown();
        return out;
    }

    @ParameterizedTest
    @MethodSource("products")
    void preparingTwiceAtOnceMakesOneLetterAndRacingMovesHaveOneWinner(String product) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Fixture f = new Fixture(product, dir)) {
            for (int round = 0; round < 10; round++) {
                race(f, pool);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void race(Fixture f, ExecutorService pool) throws Exception {
        {
            Order o = f.submitToken("fr");
            int prepared = f.records("shipment.prepared").size();
            int audited = f.audit.events.size();
            List<Callable<String>> prepares = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                prepares.add(() -> f.service.prepare(o.id(), "SN-RACE", "api:op").id());
            }
            Set<String> ids = new java.util.HashSet<>();
            for (Future<String> r : together(pool, prepares)) {
                ids.add(r.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, ids.size(), "one letter");
            assertEquals(1, f.service.forOrder(o.id()).size());
            assertEquals(prepared + 1, f.records("shipment.prepared").size());

            String id = ids.iterator().next();
            f.service.move(id, ShipmentState.SENT, "1A0000000099", null, "api:op");
            int told = f.told.calls.size();
            List<Callable<String>> moves = new ArrayList<>();
            for (ShipmentState to : List.of(ShipmentState.DELIVERED, ShipmentState.LOST, ShipmentState.RETURNED,
                    ShipmentState.DELIVERED)) {
                moves.add(() -> {
                    try {
                        return f.service.move(id, to, null, null, "api:op").state().name();
                    } catch (DeliveryException e) {
                        return e.kind().name();
                    }
                });
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<String> r : together(pool, moves)) {
                outcomes.add(r.get(60, TimeUnit.SECONDS));
            }
            Shipment end = f.service.find(id).orElseThrow();
            assertEquals(1, f.told.calls.size() - told, "one change told: " + outcomes);
            long changes = f.audit.events.subList(audited, f.audit.events.size()).stream().filter(e -> Set.of(
                    "shipment.delivered", "shipment.lost", "shipment.returned").contains(e.action())).count();
            assertEquals(1, changes, "one change audited: " + outcomes);
            assertEquals(end.state(), f.told.calls.get(told).shipment().state());
            assertEquals(Set.of(end.state().name(), "CONFLICT"), outcomes.stream().collect(Collectors.toSet()),
                    "the winner's state (also returned to a same-state mover) or a conflict: " + outcomes);
        }
    }
}
