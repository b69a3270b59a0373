package io.cachet.delivery.cloud.internal.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.StatusAction;

/** The status page's way into the customer space: which link, to whom, in each state of the space and the order. */
class SpaceActionTest {

    @TempDir
    Path dir;

    @Test
    void theManagerOfACloudOrderIsLedToTheSpaceOrToANewPasswordLink() throws Exception {
        try (SpaceFixture f = new SpaceFixture("h2", dir)) {
            Order submitted = f.submit(Medium.CLOUD, SpaceFixture.ANNA, "en");
            assertTrue(SpaceAction.link(f.service, submitted, OrderRole.CERTIFICATE_MANAGER, "en").isEmpty(),
                    "nothing before DELIVERY");

            Order o = f.cloudOrder();
            StatusAction.Link waiting = SpaceAction.link(f.service, o, OrderRole.CERTIFICATE_MANAGER, "en")
                    .orElseThrow();
            assertEquals("Set the password of your customer space", waiting.label());
            assertEquals("/space/forgot", waiting.url());
            assertTrue(waiting.hint().startsWith("We e-mailed anna@example.org a link to choose your password,"
                    + " valid until 2026-12-"), waiting.hint());
            assertTrue(SpaceAction.link(f.service, o, OrderRole.LEGAL_REPRESENTATIVE, "en").isEmpty(),
                    "the space is the certificate manager's");
            assertTrue(SpaceAction.link(f.service, f.inDelivery(Medium.USB_A, SpaceFixture.JEAN, "en"),
                    OrderRole.CERTIFICATE_MANAGER, "en").isEmpty(), "a token order has no space");

            f.clock.advance(Duration.ofDays(30));
            assertTrue(SpaceAction.link(f.service, o, OrderRole.CERTIFICATE_MANAGER, "fr").orElseThrow().hint()
                    .contains("a expiré : demandez-en un nouveau ici."));

            Order active = f.active();
            StatusAction.Link open = SpaceAction.link(f.service, active, OrderRole.CERTIFICATE_MANAGER, "en")
                    .orElseThrow();
            assertEquals("Open your customer space", open.label());
            assertEquals("/space/", open.url());
            assertTrue(open.hint().contains("Log in with anna@example.org to seal PDF documents"), open.hint());
            assertEquals("Ouvrir votre espace client", SpaceAction.link(f.service, active,
                    OrderRole.CERTIFICATE_MANAGER, "fr").orElseThrow().label());

            f.service.close(active.id(), "the organisation asked for it", "operator:olivia");
            assertTrue(SpaceAction.link(f.service, active, OrderRole.CERTIFICATE_MANAGER, "en").isEmpty(),
                    "a closed account: support's to reopen");
        }
    }
}
