package io.cachet.notify.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import freemarker.core.Environment;
import freemarker.core.PlainTextOutputFormat;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.cachet.api.notify.Channel;
import io.cachet.api.notify.MessageTemplates;
import io.cachet.api.notify.NotificationException;

/**
 * Renders a message from its FreeMarker template: the brand's templates first, then the modules', then the
 * built-in ones of this bundle; the requested language first, then {@code en}. Templates are data, not code: they
 * cannot instantiate classes or reach the Java API. Thread-safe.
 */
public final class MessageRenderer {

    /** Where this bundle keeps its own templates: {@code notify/templates/<channel>/<key>.<language>.ftl}. */
    static final String BUILT_IN = "notify/templates";
    static final String FALLBACK_LANGUAGE = "en";
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9.-]{0,99}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");
    private static final int MAX_SUBJECT = 998; // RFC 5322 line limit
    private static final int MAX_SMS = 1600; // ten concatenated parts

    /** The rendered message and the language of the template that made it. */
    public record Rendered(String subject, String body, String language) {
    }

    /** The brand as templates see it. */
    public record BrandView(String id, String displayName, String supportEmail, String primaryColour) {
        Map<String, Object> asModel() {
            return Map.of("id", id, "displayName", displayName, "supportEmail", supportEmail,
                    "primaryColour", primaryColour);
        }
    }

    private final Configuration freemarker;
    private final MessageTemplates builtIn;
    private final Map<String, Template> parsed = new ConcurrentHashMap<>();

    public MessageRenderer() {
        this(MessageTemplates.fromResources(MessageRenderer.class.getClassLoader(), BUILT_IN));
    }

    MessageRenderer(MessageTemplates builtIn) {
        this.builtIn = builtIn;
        Configuration c = new Configuration(Configuration.VERSION_2_3_34);
        c.setOutputFormat(PlainTextOutputFormat.INSTANCE);
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setWrapUncheckedExceptions(true);
        c.setAPIBuiltinEnabled(false);
        c.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        c.setDefaultEncoding("UTF-8");
        c.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
        c.setNumberFormat("computer"); // an order number must not become "1,234"
        this.freemarker = c;
    }

    /**
     * @param brandTemplates the brand's own templates (may be empty), best first
     * @param moduleTemplates templates contributed for every brand, best first
     * @throws NotificationException for an unknown template, a malformed key or language, a template error
     */
    public Rendered render(Channel channel, String key, String language, BrandView brand, String recipient,
            Map<String, ?> model, List<MessageTemplates> brandTemplates, List<MessageTemplates> moduleTemplates) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new NotificationException("template key must be 1-100 lower-case letters, digits, '.' or '-': " + key);
        }
        String lang = language == null ? FALLBACK_LANGUAGE : language.toLowerCase(Locale.ROOT);
        if (!LANGUAGE.matcher(lang).matches()) {
            throw new NotificationException("language must be an ISO 639 code such as fr or en, not '" + language + "'");
        }
        Source source = find(channel, key, lang, brand.id(), brandTemplates, moduleTemplates)
                .or(() -> lang.equals(FALLBACK_LANGUAGE) ? Optional.empty()
                        : find(channel, key, FALLBACK_LANGUAGE, brand.id(), brandTemplates, moduleTemplates))
                .orElseThrow(() -> new NotificationException("no " + channel.id() + " template '" + key + "' in '"
                        + lang + "' or '" + FALLBACK_LANGUAGE + "'"));
        Map<String, Object> data = new LinkedHashMap<>(model);
        data.put("brand", brand.asModel());
        data.put("recipient", recipient);
        String text = process(source, data, Locale.forLanguageTag(source.language));
        if (channel == Channel.SMS) {
            String body = text.strip();
            if (body.isEmpty() || body.length() > MAX_SMS) {
                throw new NotificationException("SMS template '" + key + "' rendered " + body.length()
                        + " characters; 1 to " + MAX_SMS + " are allowed");
            }
            return new Rendered("", body, source.language);
        }
        return email(key, text, source.language);
    }

    private static Rendered email(String key, String text, String language) {
        String normalised = text.replace("\r\n", "\n");
        int end = normalised.indexOf('\n');
        String first = end < 0 ? normalised : normalised.substring(0, end);
        if (!first.regionMatches(true, 0, "Subject:", 0, 8)) {
            throw new NotificationException("e-mail template '" + key + "' must start with a 'Subject: ...' line");
        }
        String subject = first.substring(8).strip();
        if (subject.isEmpty() || subject.length() > MAX_SUBJECT) {
            throw new NotificationException("e-mail template '" + key + "' rendered an empty or too long subject");
        }
        String body = end < 0 ? "" : normalised.substring(end + 1);
        if (body.startsWith("\n")) {
            body = body.substring(1);
        }
        return new Rendered(subject, body.stripTrailing() + "\n", language);
    }

    private record Source(String name, String text, String language) {
    }

    private Optional<Source> find(Channel channel, String key, String lang, String brandId,
            List<MessageTemplates> brandTemplates, List<MessageTemplates> moduleTemplates) {
        for (MessageTemplates t : brandTemplates) {
            Optional<String> text = t.template(channel, key, lang);
            if (text.isPresent()) {
                return Optional.of(new Source(brandId + "/" + channel.id() + "/" + key + "." + lang, text.get(), lang));
            }
        }
        for (MessageTemplates t : moduleTemplates) {
            Optional<String> text = t.template(channel, key, lang);
            if (text.isPresent()) {
                return Optional.of(new Source("module/" + channel.id() + "/" + key + "." + lang, text.get(), lang));
            }
        }
        return builtIn.template(channel, key, lang)
                .map(text -> new Source("cachet/" + channel.id() + "/" + key + "." + lang, text, lang));
    }

    private String process(Source source, Map<String, Object> data, Locale locale) {
        try {
            Template template = parsed.computeIfAbsent(source.name + "\u0000" + source.text, k -> {
                try {
                    return new Template(source.name, source.text, freemarker);
                } catch (IOException e) {
                    throw new NotificationException("template " + source.name + " does not parse: "
                            + firstLine(e.getMessage()), e);
                }
            });
            StringWriter out = new StringWriter();
            Environment env = template.createProcessingEnvironment(data, out);
            env.setLocale(locale);
            env.process();
            return out.toString();
        } catch (TemplateException e) {
            // FreeMarker's message names the template, the line and the missing value: never the model's content
            throw new NotificationException("template " + source.name + " failed: " + firstLine(e.getMessageWithoutStackTop()), e);
        } catch (IOException e) {
            throw new NotificationException("template " + source.name + " failed: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
    }
}
