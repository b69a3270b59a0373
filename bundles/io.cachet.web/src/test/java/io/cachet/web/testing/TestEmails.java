package io.cachet.web.testing;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import freemarker.core.PlainTextOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateExceptionHandler;

import io.cachet.api.notify.MessageTemplates;
import io.cachet.api.notify.Notification;

/**
 * A module's e-mails rendered for its tests without OSGi, as the notifier renders them: FreeMarker in plain text, a
 * missing value an error, and the brand (the default one's values) and the recipient added to the model the module
 * sent. Add the io.cachet.web test-jar (and io.cachet.web itself, which brings FreeMarker) in test scope.
 */
public final class TestEmails {

    private TestEmails() {
    }

    /** {@code n} rendered from the module's {@code templates} in {@code n}'s language: the subject line first. */
    public static String render(MessageTemplates templates, Notification n) throws Exception {
        String source = templates.template(n.channel(), n.template(), n.language()).orElseThrow(
                () -> new AssertionError("no template " + n.template() + " in " + n.language()));
        Configuration c = new Configuration(Configuration.VERSION_2_3_34);
        c.setOutputFormat(PlainTextOutputFormat.INSTANCE);
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        Map<String, Object> data = new LinkedHashMap<>(n.model());
        data.put("brand", Map.of("id", TestPages.DEFAULT_BRAND.id(), "displayName",
                TestPages.DEFAULT_BRAND.displayName(), "supportEmail", TestPages.DEFAULT_BRAND.supportEmail(),
                "primaryColour", TestPages.DEFAULT_BRAND.primaryColour()));
        data.put("recipient", n.recipient());
        StringWriter out = new StringWriter();
        new Template(n.template(), new StringReader(source), c).process(data, out);
        return out.toString();
    }

    /** {@code n} rendered in {@code language} instead of its own. */
    public static String render(MessageTemplates templates, Notification n, String language) throws Exception {
        return render(templates, new Notification(n.channel(), n.recipient(), n.template(), language, n.brand(),
                n.model(), n.idempotencyKey()));
    }
}
