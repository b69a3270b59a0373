package io.cachet.notify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.MessageTemplates;
import io.cachet.api.notify.NotificationException;

class MessageRendererTest {

    private static final MessageRenderer.BrandView ACME = new MessageRenderer.BrandView("acme", "ACME Trust",
            "help@acme.example", "#ff0000");
    private final MessageRenderer renderer = new MessageRenderer();

    private MessageRenderer.Rendered render(Channel channel, String key, String language, Map<String, ?> model,
            List<MessageTemplates> brand, List<MessageTemplates> modules) {
        return renderer.render(channel, key, language, ACME, "alice@example.org", model, brand, modules);
    }

    @Test
    void builtInEmailTemplatesExistInFrenchAndEnglishWithTheBrandsName() {
        MessageRenderer.Rendered fr = render(Channel.EMAIL, "notify.test", "fr", Map.of("reference", "R-42"), List.of(),
                List.of());
        assertEquals("ACME Trust : message d'essai", fr.subject());
        assertTrue(fr.body().startsWith("Bonjour,\n\nCeci est un message d'essai de ACME Trust (référence R-42)."),
                fr.body());
        assertTrue(fr.body().contains("help@acme.example"), fr.body());
        assertEquals("fr", fr.language());
        MessageRenderer.Rendered en = render(Channel.EMAIL, "notify.test", "en", Map.of(), List.of(), List.of());
        assertEquals("ACME Trust: test message", en.subject());
        assertFalse(en.body().contains("reference"), "an optional value left out: " + en.body());
    }

    @Test
    void smsTemplatesGiveTheTextOnly() {
        MessageRenderer.Rendered sms = render(Channel.SMS, "notify.test", "fr", Map.of("reference", "123456"),
                List.of(), List.of());
        assertEquals("", sms.subject());
        assertEquals("ACME Trust : message d'essai 123456. Les notifications par SMS fonctionnent.", sms.body());
    }

    @Test
    void aLanguageWithoutTemplateFallsBackToEnglish() {
        MessageRenderer.Rendered de = render(Channel.EMAIL, "notify.test", "de", Map.of(), List.of(), List.of());
        assertEquals("en", de.language());
        assertEquals("ACME Trust: test message", de.subject());
    }

    @Test
    void theBrandOverridesWhatItHasAndModulesComeBeforeTheBuiltInOnes() {
        MessageTemplates brand = (channel, key, language) -> key.equals("notify.test") && language.equals("fr")
                && channel == Channel.EMAIL ? Optional.of("Subject: Essai ${brand.displayName}\n\nCorps de marque")
                        : Optional.empty();
        MessageTemplates module = (channel, key, language) -> key.equals("order.accepted")
                ? Optional.of("Subject: Order ${order} accepted\n\nThanks ${recipient}") : Optional.empty();
        MessageRenderer.Rendered fr = render(Channel.EMAIL, "notify.test", "fr", Map.of(), List.of(brand), List.of(module));
        assertEquals("Essai ACME Trust", fr.subject());
        assertEquals("Corps de marque\n", fr.body());
        // the brand has no English version: the built-in one
        assertEquals("ACME Trust: test message",
                render(Channel.EMAIL, "notify.test", "en", Map.of(), List.of(brand), List.of(module)).subject());
        MessageRenderer.Rendered order = render(Channel.EMAIL, "order.accepted", "en", Map.of("order", 1234),
                List.of(brand), List.of(module));
        assertEquals("Order 1234 accepted", order.subject(), "numbers are not grouped");
        assertEquals("Thanks alice@example.org\n", order.body());
    }

    @Test
    void templatesFromABundlesResourcesFollowTheDocumentedLayout() {
        MessageTemplates resources = MessageTemplates.fromResources(getClass().getClassLoader(), "notify/templates");
        assertTrue(resources.template(Channel.SMS, "notify.test", "en").isPresent());
        assertTrue(resources.template(Channel.SMS, "notify.test", "xx").isEmpty());
        assertTrue(resources.template(Channel.SMS, "../notify.test", "en").isEmpty(), "no path out of the folder");
    }

    @Test
    void errorsNameTheTemplateAndNeverTheModelsValues() {
        NotificationException unknown = assertThrows(NotificationException.class,
                () -> render(Channel.EMAIL, "no.such", "fr", Map.of(), List.of(), List.of()));
        assertEquals("no email template 'no.such' in 'fr' or 'en'", unknown.getMessage());
        MessageTemplates broken = (c, k, l) -> Optional.of("Subject: ${missing}\n\nx ${secret}");
        NotificationException missing = assertThrows(NotificationException.class,
                () -> render(Channel.EMAIL, "x", "en", Map.of("secret", "s3cr3t-value"), List.of(broken), List.of()));
        assertTrue(missing.getMessage().startsWith("template acme/email/x.en failed:"), missing.getMessage());
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
        assertFalse(missing.getMessage().contains("s3cr3t-value"));
        MessageTemplates noSubject = (c, k, l) -> Optional.of("Hello");
        assertEquals("e-mail template 'x' must start with a 'Subject: ...' line", assertThrows(
                NotificationException.class,
                () -> render(Channel.EMAIL, "x", "en", Map.of(), List.of(noSubject), List.of())).getMessage());
        assertThrows(NotificationException.class, () -> render(Channel.EMAIL, "Bad/Key", "en", Map.of(), List.of(), List.of()));
        assertThrows(NotificationException.class, () -> render(Channel.EMAIL, "notify.test", "f r", Map.of(), List.of(),
                List.of()));
    }

    @Test
    void aTemplateCannotReachJava() {
        MessageTemplates hostile = (c, k, l) -> Optional.of(
                "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}");
        NotificationException e = assertThrows(NotificationException.class,
                () -> render(Channel.SMS, "x", "en", Map.of(), List.of(hostile), List.of()));
        assertTrue(e.getMessage().contains("x.en failed"), e.getMessage());
        MessageTemplates api = (c, k, l) -> Optional.of("${recipient?api.getClass()}");
        assertThrows(NotificationException.class, () -> render(Channel.SMS, "y", "en", Map.of(), List.of(api), List.of()));
    }
}
