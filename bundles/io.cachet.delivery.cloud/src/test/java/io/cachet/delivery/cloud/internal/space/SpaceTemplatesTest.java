package io.cachet.delivery.cloud.internal.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.notify.Notification;
import io.cachet.api.order.Medium;
import io.cachet.web.testing.TestEmails;

/**
 * The space's e-mails rendered with FreeMarker as the notifier renders them (plain text, the brand and recipient added
 * to the model the service sent), in both languages: each starts with its subject, carries its link, and uses no value
 * the service does not give.
 */
class SpaceTemplatesTest {

    @TempDir
    Path dir;

    static String render(Notification n) throws Exception {
        return TestEmails.render(new SpaceTemplates(), n);
    }

    @Test
    void everyEmailRendersInBothLanguages() throws Exception {
        try (SpaceFixture f = new SpaceFixture("h2", dir)) {
            f.inDelivery(Medium.CLOUD, SpaceFixture.ANNA, "fr");
            Notification set = f.notifier.of("cloudspace.password.set").get(0);
            assertEquals("fr", set.language());
            String fr = render(set);
            assertTrue(fr.startsWith("Subject: Cachet : choisissez le mot de passe de votre espace client\n"), fr);
            assertTrue(fr.contains((String) set.model().get("link")), fr);
            assertTrue(fr.contains("Votre identifiant est anna@example.org"), fr);
            String en = render(new Notification(set.channel(), set.recipient(), set.template(), "en", null,
                    set.model(), null));
            assertTrue(en.startsWith("Subject: Cachet: set the password of your customer space\n"), en);
            assertTrue(en.contains("It opens until " + set.model().get("expires")), en);

            assertTrue(f.service.setPassword(f.lastSecret(), SpaceFixture.GOOD.toCharArray(), "c").ok());
            f.inDelivery(Medium.CLOUD, SpaceFixture.ANNA, "en");
            Notification added = f.notifier.of("cloudspace.seal.added").get(0);
            for (String language : new String[] { "fr", "en" }) {
                String text = render(new Notification(added.channel(), added.recipient(), added.template(), language,
                        null, added.model(), null));
                assertTrue(text.startsWith("Subject: Cachet"), text);
                assertTrue(text.contains(SpaceFixture.BASE + "/space/"), text);
                assertTrue(text.contains((String) added.model().get("orderId")), text);
            }

            f.service.forgot(SpaceFixture.ANNA.email(), "c");
            Notification reset = f.notifier.of("cloudspace.password.reset").get(0);
            for (String language : new String[] { "fr", "en" }) {
                String text = render(new Notification(reset.channel(), reset.recipient(), reset.template(), language,
                        null, reset.model(), null));
                assertTrue(text.contains((String) reset.model().get("link")), text);
            }
            // the security notices: a password changed, a factor added and removed
            String id = f.accountId();
            assertTrue(f.service.setPassword(f.lastSecret(), "another fine passphrase".toCharArray(), "c")
                    .ok());
            byte[] key = f.service.startTotp(id, "x").key();
            assertTrue(f.service.confirmTotp(id, io.cachet.delivery.cloud.internal.factor.Totp.code(key,
                    io.cachet.delivery.cloud.internal.factor.Totp.step(f.clock.instant()), 6, "HmacSHA1")));
            f.clock.advance(java.time.Duration.ofMinutes(1));
            assertTrue(f.service.removeFactor(id, f.service.factorList(id).get(0).id(), null));
            java.util.List<Notification> notices = f.notifier.of("cloudspace.security.changed");
            assertEquals(java.util.List.of("password", "factor-added", "factor-removed"), notices.stream().map(
                    n -> n.model().get("change")).toList());
            for (Notification n : notices) {
                for (String language : new String[] { "fr", "en" }) {
                    String text = render(new Notification(n.channel(), n.recipient(), n.template(), language, null,
                            n.model(), null));
                    assertTrue(text.contains(SpaceFixture.BASE + "/space/forgot"), text);
                    assertTrue(text.contains((String) n.model().get("time")), text);
                }
            }
            assertEquals("fr", notices.get(1).language(), "the account's language");
            assertTrue(render(notices.get(1)).contains("une application d'authentification a été ajoutée"));
            assertTrue(render(new Notification(notices.get(1).channel(), notices.get(1).recipient(),
                    notices.get(1).template(), "en", null, notices.get(1).model(), null)).contains(
                            "an authenticator app was added"));
            assertTrue(render(new Notification(notices.get(2).channel(), notices.get(2).recipient(),
                    notices.get(2).template(), "fr", null, notices.get(2).model(), null)).contains(
                            "l'application d'authentification a été retirée"));

            // a holder who never set a password and asks again gets a set-password link without an order
            f.inDelivery(Medium.CLOUD, SpaceFixture.JEAN, "en");
            f.service.forgot(SpaceFixture.JEAN.email(), "c");
            Notification again = f.notifier.of("cloudspace.password.set").get(2);
            assertEquals("", again.model().get("orderId"));
            String text = render(again);
            assertTrue(text.contains("Your cloud seal is ready"), text);
            assertTrue(text.contains((String) again.model().get("link")), text);

            // an operator closes the account: the holder is told, in either language
            String annas = (String) added.model().get("orderId");
            f.service.close(annas, "reason-kept-inside-42", "operator:olivia");
            Notification closed = f.notifier.of("cloudspace.account.closed").get(0);
            String closedFr = render(new Notification(closed.channel(), closed.recipient(), closed.template(), "fr",
                    null, closed.model(), null));
            assertTrue(closedFr.startsWith("Subject: Cachet : votre espace client a été fermé\n"), closedFr);
            assertTrue(closedFr.contains("commande " + annas), closedFr);
            String closedEn = render(new Notification(closed.channel(), closed.recipient(), closed.template(), "en",
                    null, closed.model(), null));
            assertTrue(closedEn.startsWith("Subject: Cachet: your customer space was closed\n"), closedEn);
            assertTrue(closedEn.contains("Your certificates are not revoked by this"), closedEn);
            assertFalse(closedEn.contains("reason-kept-inside-42"), "the operator's reason stays in the audit log");
        }
    }
}
