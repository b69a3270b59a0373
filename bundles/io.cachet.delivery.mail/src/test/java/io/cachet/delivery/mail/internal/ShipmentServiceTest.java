package io.cachet.delivery.mail.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.DeliveryException.Kind;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.delivery.Shipments.Receipt;
import io.cachet.api.order.Order;
import io.cachet.api.security.Digests;
import io.cachet.store.testing.TestDatabases;

/** The shipments on H2 and PostgreSQL with the real order state machine, audit log and vault. */
class ShipmentServiceTest {

    @TempDir
    Path dir;

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    private static int tracking;

    static String tracking() {
        return "1A" + String.format("%011d", ++tracking);
    }

    /** A new shipment of the order brought to {@code state} along allowed moves. */
    static Shipment in(Fixture f, Order o, ShipmentState state) {
        Shipment s = f.service.prepare(o.id(), "SN-" + state + "-" + (++tracking), "api:op");
        return switch (state) {
            case PREPARED -> s;
            case LOST -> f.service.move(s.id(), ShipmentState.LOST, null, null, "api:op");
            case SENT -> f.service.move(s.id(), ShipmentState.SENT, tracking(), null, "api:op");
            default -> f.service.move(f.service.move(s.id(), ShipmentState.SENT, tracking(), null, "api:op").id(),
                    state, null, null, "api:op");
        };
    }

    private static void assertNoAddress(Fixture f) {
        for (AuditEvent e : f.audit.events) {
            String d = Fixture.details(e);
            for (String personal : List.of("Église", "Eglise", "Lyon", "69002", "Bâtiment", "Lefèvre", "Élodie")) {
                assertFalse(d.contains(personal), e.action() + " names the address or recipient: " + d);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void preparingIsIdempotentAndCopiesTheOrdersDelivery(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.submitToken("fr");
            Shipment s = f.service.prepare(o.id(), "SN0001", "api:op");
            assertEquals(ShipmentState.PREPARED, s.state());
            assertTrue(s.id().startsWith("shp_"), s.id());
            assertEquals(o.id(), s.orderId());
            assertEquals("SN0001", s.reference());
            assertEquals(Fixture.BENEFICIARY, s.recipient());
            assertEquals(Fixture.ADDRESS, s.address());
            assertEquals("manual", s.carrier());
            assertTrue(s.trackingNumber().isEmpty() && s.sentAt().isEmpty() && s.deliveredAt().isEmpty());
            assertFalse(s.receiptAttached());
            assertEquals(Fixture.T0, s.createdAt());

            assertEquals(s, f.service.prepare(o.id(), " SN0001 ", "api:other"), "the same letter again");
            assertEquals(1, f.records("shipment.prepared").size());
            assertEquals("order:" + o.id(), f.records("shipment.prepared").get(0).subject());
            assertEquals("api:op", f.records("shipment.prepared").get(0).actor());

            // a new token for the order is a new letter; once lost, the same token again is one too
            Shipment other = f.service.prepare(o.id(), "SN0002", "api:op");
            assertNotEquals(s.id(), other.id());
            f.service.move(s.id(), ShipmentState.LOST, null, "never left", "api:op");
            Shipment again = f.service.prepare(o.id(), "SN0001", "api:op");
            assertNotEquals(s.id(), again.id());
            assertEquals(List.of(s.id(), other.id(), again.id()), f.service.forOrder(o.id()).stream()
                    .map(Shipment::id).toList(), "oldest first");
            assertEquals(again.id(), f.service.current(o.id()).orElseThrow().id());
            assertEquals(List.of(other.id(), again.id()), f.service.inState(ShipmentState.PREPARED, 10).stream()
                    .map(Shipment::id).toList());
            assertTrue(f.service.forOrder("ord_nothing").isEmpty());
            assertTrue(f.service.find("shp_nothing").isEmpty());
            assertNoAddress(f);
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void preparingIsRefusedWithNothingStoredWhenThereIsNothingToShip(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order cloud = f.submitCloud();
            assertEquals(Kind.CONFLICT, assertThrows(DeliveryException.class,
                    () -> f.service.prepare(cloud.id(), "SN1", "api:op")).kind());
            assertEquals(Kind.NOT_FOUND, assertThrows(DeliveryException.class,
                    () -> f.service.prepare("ord_unknown", "SN1", "api:op")).kind());
            Order o = f.submitToken("en");
            assertEquals(Kind.INVALID, assertThrows(DeliveryException.class,
                    () -> f.service.prepare(o.id(), "  ", "api:op")).kind());
            f.ordersDown = true;
            assertEquals(Kind.UNAVAILABLE, assertThrows(DeliveryException.class,
                    () -> f.service.prepare(o.id(), "SN1", "api:op")).kind());
            f.ordersDown = false;
            f.orders.cancel(o.id(), "api:op", "changed their mind", false);
            assertEquals(Kind.CONFLICT, assertThrows(DeliveryException.class,
                    () -> f.service.prepare(o.id(), "SN1", "api:op")).kind());
            assertTrue(f.records("shipment.prepared").isEmpty());
            assertTrue(f.service.inState(ShipmentState.PREPARED, 10).isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void everyMoveIsAllowedOrRefusedAsTheStatesSayAndListenersAreToldAfterCommit(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.submitToken("fr");
            // what the listener sees in the database from another connection while it is told
            List<String> seen = new ArrayList<>();
            f.listeners.add((shipment, previous) -> {
                try {
                    seen.add(CompletableFuture.supplyAsync(() -> f.service.find(shipment.id()).orElseThrow().state()
                            .name()).get() + "=" + shipment.state());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            f.listeners.add((shipment, previous) -> {
                throw new IllegalStateException("a failing listener changes nothing");
            });
            for (ShipmentState from : ShipmentState.values()) {
                for (ShipmentState to : ShipmentState.values()) {
                    Shipment s = in(f, o, from);
                    int calls = f.told.calls.size();
                    int events = f.audit.events.size();
                    String number = to == ShipmentState.SENT ? tracking() : null;
                    if (from == to) {
                        assertEquals(s, f.service.move(s.id(), to, number, "again", "api:op"), from + " again");
                        assertEquals(calls, f.told.calls.size(), "nothing told for the same state");
                        assertEquals(events, f.audit.events.size(), "nothing audited for the same state");
                    } else if (from.canMoveTo(to)) {
                        f.clock.advance(Duration.ofHours(1));
                        Shipment moved = f.service.move(s.id(), to, number, "by the test", "api:op");
                        assertEquals(to, moved.state(), from + " -> " + to);
                        assertEquals(Optional.of("by the test"), moved.note());
                        assertEquals(f.clock.instant(), moved.updatedAt());
                        assertEquals(calls + 1, f.told.calls.size(), from + " -> " + to + " told once");
                        Fixture.Told.Call call = f.told.calls.get(calls);
                        assertEquals(from, call.previous());
                        assertEquals(moved, call.shipment());
                        assertEquals(to.name() + "=" + to, seen.get(seen.size() - 1), "committed before told");
                        AuditEvent e = f.audit.events.get(f.audit.events.size() - 1);
                        assertEquals("shipment." + to.name().toLowerCase(java.util.Locale.ROOT), e.action());
                        assertEquals("order:" + o.id(), e.subject());
                        assertTrue(Fixture.details(e).contains("\"from\":\"" + from + "\""), Fixture.details(e));
                        if (to == ShipmentState.SENT) {
                            assertEquals(Optional.of(f.clock.instant()), moved.sentAt());
                        }
                        if (to == ShipmentState.DELIVERED) {
                            assertEquals(Optional.of(f.clock.instant()), moved.deliveredAt());
                            assertTrue(moved.sentAt().isPresent() && moved.sentAt().get().isBefore(f.clock.instant()));
                        }
                    } else {
                        DeliveryException refused = assertThrows(DeliveryException.class,
                                () -> f.service.move(s.id(), to, number, null, "api:op"), from + " -> " + to);
                        assertEquals(Kind.CONFLICT, refused.kind());
                        assertTrue(refused.getMessage().contains(from.name()), refused.getMessage());
                        assertEquals(s, f.service.find(s.id()).orElseThrow(), "nothing changed");
                        assertEquals(calls, f.told.calls.size(), "nothing told for a refused move");
                        assertEquals(events, f.audit.events.size(), "nothing audited for a refused move");
                    }
                }
            }
            assertEquals(Kind.NOT_FOUND, assertThrows(DeliveryException.class,
                    () -> f.service.move("shp_nothing", ShipmentState.SENT, tracking(), null, "api:op")).kind());
            assertNoAddress(f);
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void sendingNeedsAWellFormedTrackingNumber(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.submitToken("fr");
            Shipment s = f.service.prepare(o.id(), "SN1", "api:op");
            assertEquals(Kind.INVALID, assertThrows(DeliveryException.class,
                    () -> f.service.move(s.id(), ShipmentState.SENT, null, null, "api:op")).kind());
            assertEquals(Kind.INVALID, assertThrows(DeliveryException.class,
                    () -> f.service.move(s.id(), ShipmentState.SENT, "  ", null, "api:op")).kind());
            assertEquals(Kind.INVALID, assertThrows(DeliveryException.class,
                    () -> f.service.move(s.id(), ShipmentState.SENT, "1A<script>", null, "api:op")).kind());
            assertEquals(Kind.INVALID, assertThrows(DeliveryException.class,
                    () -> f.service.move(s.id(), ShipmentState.SENT, "1A0123", "x".repeat(501), "api:op")).kind());
            assertEquals(ShipmentState.PREPARED, f.service.find(s.id()).orElseThrow().state());
            assertTrue(f.told.calls.isEmpty());

            Shipment sent = f.service.move(s.id(), ShipmentState.SENT, "1a 0123 4567 890", null, "api:op");
            assertEquals(Optional.of("1A01234567890"), sent.trackingNumber(), "spaces dropped, capitals");
            assertEquals(Kind.INVALID, assertThrows(DeliveryException.class, () -> f.service.move(s.id(),
                    ShipmentState.DELIVERED, "1A99999999999", null, "api:op")).kind(), "another number");
            Shipment delivered = f.service.move(s.id(), ShipmentState.DELIVERED, "1A01234567890", null, "api:op");
            assertEquals(Optional.of("1A01234567890"), delivered.trackingNumber());
            assertTrue(delivered.note().isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void theReceiptIsCheckedByItsBytesLimitedAndStoredEncrypted(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.submitToken("fr");
            Shipment s = in(f, o, ShipmentState.DELIVERED);
            assertTrue(f.service.receipt(s.id()).isEmpty());
            byte[] pdf = Samples.pdf("Avis de reception", "Signe: E. Lefevre", "RECEIPT-MARKER-7f3a");
            Shipment attached = f.service.attachReceipt(s.id(), pdf, "api:op");
            assertTrue(attached.receiptAttached());
            byte[] stored = f.storedReceipt(s.id());
            String raw = new String(stored, StandardCharsets.ISO_8859_1);
            assertFalse(raw.contains("%PDF") || raw.contains("RECEIPT-MARKER"), "stored encrypted");
            assertNotEquals(pdf.length, stored.length);
            Receipt r = f.service.receipt(s.id()).orElseThrow();
            assertEquals("application/pdf", r.mediaType());
            assertArrayEquals(pdf, r.content());
            assertEquals(1, f.events("shipment.receipt.attached").size());
            assertTrue(Fixture.details(f.events("shipment.receipt.attached").get(0)).contains(
                    Digests.sha256Hex(pdf)));

            // a blob moved to another shipment's row does not open there
            Shipment other = in(f, o, ShipmentState.SENT);
            f.service.attachReceipt(other.id(), Samples.png(), "api:op");
            f.db.database().inTransaction(c -> {
                try (var ps = c.prepareStatement("UPDATE shipment_receipt SET data = ?, media_type = ? WHERE"
                        + " shipment_id = ?")) {
                    ps.setBytes(1, stored);
                    ps.setString(2, "application/pdf");
                    ps.setString(3, other.id());
                    return ps.executeUpdate();
                }
            });
            assertThrows(IllegalStateException.class, () -> f.service.receipt(other.id()));

            // a new scan replaces the old; JPEG and PNG told by their bytes
            f.service.attachReceipt(s.id(), Samples.jpeg(), "api:op");
            assertEquals("image/jpeg", f.service.receipt(s.id()).orElseThrow().mediaType());
            f.service.attachReceipt(s.id(), Samples.png(), "api:op");
            assertEquals("image/png", f.service.receipt(s.id(), "api:auditor").orElseThrow().mediaType());
            assertEquals(1, f.records("shipment.receipt.read").size(), "a person's read is audited");

            int attachedBefore = f.events("shipment.receipt.attached").size();
            assertEquals(Kind.INVALID, assertThrows(DeliveryException.class, () -> f.service.attachReceipt(s.id(),
                    "<html>not a scan</html>".getBytes(StandardCharsets.UTF_8), "api:op")).kind());
            assertEquals(Kind.INVALID, assertThrows(DeliveryException.class,
                    () -> f.service.attachReceipt(s.id(), new byte[0], "api:op")).kind());
            AtomicReference<byte[]> big = new AtomicReference<>(new byte[5 * 1024 * 1024 + 1]);
            System.arraycopy(Samples.png(), 0, big.get(), 0, 8);
            DeliveryException oversize = assertThrows(DeliveryException.class,
                    () -> f.service.attachReceipt(s.id(), big.get(), "api:op"));
            assertEquals(Kind.INVALID, oversize.kind());
            assertTrue(oversize.getMessage().contains("5120 KiB"), oversize.getMessage());
            assertEquals(Kind.NOT_FOUND, assertThrows(DeliveryException.class,
                    () -> f.service.attachReceipt("shp_nothing", Samples.png(), "api:op")).kind());
            assertEquals("image/png", f.service.receipt(s.id()).orElseThrow().mediaType(), "unchanged");
            assertEquals(attachedBefore, f.events("shipment.receipt.attached").size());
        }
    }
}
