package io.cachet.organisation.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/** The organisation pages' own messages, for text built outside a page (the status page's action link). */
final class OrganisationText {

    private static final Map<String, Properties> BY_LANGUAGE = new ConcurrentHashMap<>();

    private OrganisationText() {
    }

    /** The message {@code key} in {@code language} (else French), formatted with {@code args}; the key when missing. */
    static String message(String language, String key, Object... args) {
        String l = language == null || !language.matches("[a-z]{2}") ? "fr" : language;
        String v = messages(l).getProperty(key);
        if (v == null) {
            v = messages("fr").getProperty(key, key);
        }
        return args.length == 0 ? v : new MessageFormat(v, Locale.forLanguageTag(l)).format(args);
    }

    private static Properties messages(String language) {
        return BY_LANGUAGE.computeIfAbsent(language, l -> {
            Properties p = new Properties();
            try (InputStream in = OrganisationText.class.getClassLoader()
                    .getResourceAsStream("pages/" + OrganisationPages.NAMESPACE + "/messages_" + l + ".properties")) {
                if (in != null) {
                    p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p;
        });
    }
}
