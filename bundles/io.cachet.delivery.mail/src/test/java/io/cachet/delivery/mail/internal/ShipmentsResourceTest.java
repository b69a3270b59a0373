package io.cachet.delivery.mail.internal;

import static io.cachet.api.testing.TestCallers.as;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.order.Order;
import io.cachet.api.rest.ApiException;
import io.cachet.delivery.mail.internal.ShipmentViews.ShipmentList;
import io.cachet.delivery.mail.internal.ShipmentViews.ShipmentView;
import io.cachet.store.testing.TestDatabases;

/**
 * {@code /api/v1/shipments} and {@code /api/v1/orders/{id}/shipments} as plain Java on the real shipments (H2 and
 * PostgreSQL): the JSON of a shipment, moves and their refusals as problem answers, the label and the receipt; the
 * roles each method states (enforced by the REST platform, proven over HTTP by the ITs).
 */
class ShipmentsResourceTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    @ParameterizedTest
    @MethodSource("products")
    void operatorsReadMoveAndAttachAsTheContractSays(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            ShipmentsResource api = new ShipmentsResource(f.service);
            OrderShipmentsResource byOrder = new OrderShipmentsResource(f.service);
            SecurityContext op = as("otto", "operator");
            Order o = f.submitToken("fr");
            String id = f.service.prepare(o.id(), "SN-7", "api:tokdel").id();

            ShipmentView v = api.get(id);
            Map<?, ?> json = JSON.readValue(JSON.writeValueAsString(v), Map.class);
            assertEquals(new TreeSet<>(List.of("id", "orderId", "reference", "recipient", "address", "carrier",
                    "trackingNumber", "state", "receiptAttached", "note", "createdAt", "updatedAt", "sentAt",
                    "deliveredAt")), new TreeSet<>(json.keySet().stream().map(String::valueOf).toList()));
            assertEquals(Map.of("lines", Fixture.ADDRESS.lines(), "postalCode", "69002", "city", "Lyon", "country",
                    "FR"), json.get("address"));
            assertEquals("PREPARED", json.get("state"));
            assertEquals(Fixture.T0.toString(), json.get("createdAt"));
            assertNull(json.get("trackingNumber"));
            assertEquals(List.of(id), byOrder.list(o.id()).items().stream().map(ShipmentView::id).toList());
            assertTrue(byOrder.list("ord_nothing").items().isEmpty());
            assertEquals(List.of(id), api.list("prepared", 200).items().stream().map(ShipmentView::id).toList());
            assertTrue(api.list("SENT", 200).items().isEmpty());
            assertEquals(List.of(id), api.list(null, 200).items().stream().map(ShipmentView::id).toList());
            assertEquals(400, assertThrows(ApiException.class, () -> api.list("SHIPPED", 200)).status());
            assertEquals(400, assertThrows(ApiException.class, () -> api.list(null, 0)).status());
            assertEquals(404, assertThrows(ApiException.class, () -> api.get("shp_nothing")).status());

            ApiException noNumber = assertThrows(ApiException.class,
                    () -> api.move(op, id, JSON.readTree("{\"state\":\"SENT\"}")));
            assertEquals(400, noNumber.status());
            assertEquals("shipment.invalid", noNumber.extensions().get("code"));
            assertEquals(400, assertThrows(ApiException.class, () -> api.move(op, id, JSON.readTree("{}"))).status());
            ApiException numeric = assertThrows(ApiException.class, () -> api.move(op, id,
                    JSON.readTree("{\"state\":\"SENT\",\"trackingNumber\":1000000000777}")));
            assertEquals("Field 'trackingNumber' must be a string.", numeric.getMessage(), "not 'missing'");
            assertEquals(400, assertThrows(ApiException.class,
                    () -> api.move(op, id, JSON.readTree("{\"state\":\"GONE\"}"))).status());
            ApiException early = assertThrows(ApiException.class,
                    () -> api.move(op, id, JSON.readTree("{\"state\":\"DELIVERED\"}")));
            assertEquals(409, early.status());
            assertTrue(early.getMessage().contains("PREPARED"), early.getMessage());
            assertEquals(404, assertThrows(ApiException.class,
                    () -> api.move(op, "shp_nothing", JSON.readTree("{\"state\":\"LOST\"}"))).status());

            ShipmentView sent = api.move(op, id, JSON.readTree(
                    "{\"state\":\"sent\",\"trackingNumber\":\"1A 0000 0000 777\",\"note\":\"guichet Lyon 2\"}"));
            assertEquals("SENT", sent.state());
            assertEquals("1A00000000777", sent.trackingNumber());
            assertEquals("guichet Lyon 2", sent.note());
            assertNotNull(sent.sentAt());
            assertEquals("api:otto", f.records("shipment.sent").get(0).actor());
            assertEquals(List.of(id), api.list("SENT", 10).items().stream().map(ShipmentView::id).toList());

            Response label = api.label(id, "en");
            assertEquals("application/pdf", label.getMediaType().toString());
            assertEquals("no-store", label.getHeaderString("Cache-Control"));
            try (var doc = Loader.loadPDF((byte[]) label.getEntity())) {
                String text = new PDFTextStripper().getText(doc);
                assertTrue(text.contains("REGISTERED LETTER") && text.contains(o.id()), text);
            }
            assertEquals(400, assertThrows(ApiException.class, () -> api.label(id, "xx")).status());
            assertEquals(404, assertThrows(ApiException.class, () -> api.label("shp_nothing", "fr")).status());

            assertEquals(404, assertThrows(ApiException.class, () -> api.receipt(op, id)).status(), "none yet");
            byte[] scan = Samples.jpeg();
            assertTrue(api.attach(op, id, scan).receiptAttached());
            assertEquals(400, assertThrows(ApiException.class, () -> api.attach(op, id, "GIF89a...".getBytes()))
                    .status());
            Response back = api.receipt(as("ada", "auditor"), id);
            assertEquals("image/jpeg", back.getMediaType().toString());
            assertArrayEquals(scan, (byte[]) back.getEntity());
            assertEquals("api:ada", f.records("shipment.receipt.read").get(0).actor());

            ShipmentView delivered = api.move(op, id, JSON.readTree("{\"state\":\"DELIVERED\"}"));
            assertEquals("DELIVERED", delivered.state());
            assertNotNull(delivered.deliveredAt());
            assertEquals(ShipmentState.DELIVERED, f.told.calls.get(f.told.calls.size() - 1).shipment().state());
            ShipmentList all = api.list(null, 10);
            assertTrue(all.items().get(0).receiptAttached());
        }
    }

    @Test
    void everyMethodStatesItsRolesReadersReadOperatorsChangeTheWebhookIsPublic() {
        Set<String> readers = Set.of("admin", "operator", "support", "auditor");
        Set<String> writers = Set.of("admin", "operator");
        int checked = 0;
        for (Class<?> type : List.of(ShipmentsResource.class, OrderShipmentsResource.class)) {
            for (Method m : type.getDeclaredMethods()) {
                boolean get = m.isAnnotationPresent(GET.class);
                boolean change = m.isAnnotationPresent(POST.class) || m.isAnnotationPresent(PUT.class);
                if (!get && !change) {
                    continue;
                }
                RolesAllowed roles = m.getAnnotation(RolesAllowed.class);
                assertNotNull(roles, m.getName());
                assertFalse(m.isAnnotationPresent(PermitAll.class), m.getName());
                assertEquals(get ? readers : writers, Set.copyOf(Arrays.asList(roles.value())), m.getName());
                checked++;
            }
        }
        assertEquals(7, checked, "list, get, move, label, attach, receipt, the order's list");
        long publicMethods = Arrays.stream(CarrierWebhookResource.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(POST.class)).filter(m -> m.isAnnotationPresent(PermitAll.class))
                .count();
        assertEquals(1, publicMethods);
    }
}
