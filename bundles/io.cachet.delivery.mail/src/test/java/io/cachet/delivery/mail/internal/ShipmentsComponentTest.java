package io.cachet.delivery.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

import io.cachet.api.delivery.Carrier.CarrierEvent;
import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.order.Order;
import io.cachet.api.order.Orders;

/**
 * The DS component as SCR would make it (plain Java): its configuration checked, the order service got lazily, the
 * carriers and listeners whiteboards, and the background job that polls a carrier on its own schedule.
 */
class ShipmentsComponentTest {

    @TempDir
    Path dir;

    static MailConfiguration config(int jobSeconds, int pollMinutes, String carrier, int maxReceiptBytes) {
        return new MailConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MailConfiguration.class;
            }

            @Override
            public String senderName() {
                return "Cachet SAS";
            }

            @Override
            public String[] senderAddress() {
                return new String[] { "8 avenue de l'Opéra", "", "75001 Paris" };
            }

            @Override
            public int maxReceiptBytes() {
                return maxReceiptBytes;
            }

            @Override
            public int pollMinutes() {
                return pollMinutes;
            }

            @Override
            public int jobSeconds() {
                return jobSeconds;
            }

            @Override
            public String defaultCarrier() {
                return carrier;
            }
        };
    }

    static ComponentServiceObjects<Orders> objects(Orders orders) {
        return new ComponentServiceObjects<>() {
            @Override
            public Orders getService() {
                return orders;
            }

            @Override
            public void ungetService(Orders service) {
            }

            @Override
            public ServiceReference<Orders> getServiceReference() {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void theConfigurationIsCheckedWithAClearMessage() {
        MailSettings s = MailSettings.of(config(60, 60, " TestPost ", 5 * 1024 * 1024));
        assertEquals(List.of("8 avenue de l'Opéra", "75001 Paris"), s.senderAddress(), "blank lines dropped");
        assertEquals("testpost", s.defaultCarrier());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MailSettings.of(config(60, 60, "manual", 10)))
                .getMessage().contains("receipt size limit"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> MailSettings.of(config(60, 60, "la poste!", 5 * 1024 * 1024))).getMessage().contains("carrier"));
        assertThrows(IllegalArgumentException.class, () -> MailSettings.of(config(0, 60, "manual", 5 * 1024 * 1024)));
    }

    @Test
    void theJobPollsTheInstalledCarrierAndTheListenersAreTold() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            ShipmentsComponent c = new ShipmentsComponent(f.db.database(), f.audit, f.vault,
                    config(1, 1, "testpost", 5 * 1024 * 1024));
            try {
                Order o = f.submitToken("fr");
                assertEquals(DeliveryException.Kind.UNAVAILABLE, assertThrows(DeliveryException.class,
                        () -> c.prepare(o.id(), "SN-1", "api:op")).kind(), "no order service yet");
                c.orders = objects(f.orders);
                Fixture.Told told = new Fixture.Told();
                c.addListener(told);
                TestPost post = new TestPost("secret");
                c.addCarrier(post);
                Shipment s = c.prepare(o.id(), "SN-1", "api:op");
                assertEquals("testpost", s.carrier());
                c.move(s.id(), ShipmentState.SENT, "TP42", null, "api:op");
                post.tracked.put("TP42", new CarrierEvent("TP42", ShipmentState.DELIVERED, "remis"));
                Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
                while (c.find(s.id()).orElseThrow().state() != ShipmentState.DELIVERED
                        && Instant.now().isBefore(deadline)) {
                    Thread.sleep(50);
                }
                assertEquals(ShipmentState.DELIVERED, c.find(s.id()).orElseThrow().state(), "the job asked the carrier");
                assertEquals(List.of(ShipmentState.PREPARED, ShipmentState.SENT), told.calls.stream()
                        .map(Fixture.Told.Call::previous).toList());
                assertEquals(1, f.records("shipment.delivered").size());
                assertEquals("carrier:testpost", f.records("shipment.delivered").get(0).actor());
                c.removeListener(told);
                c.modified(config(5, 60, "manual", 1024 * 1024));
                assertEquals(1024 * 1024, c.settings().maxReceiptBytes());
                assertEquals("manual", c.prepare(o.id(), "SN-2", "api:op").carrier(), "new settings apply");
            } finally {
                c.deactivate();
            }
        }
    }
}
