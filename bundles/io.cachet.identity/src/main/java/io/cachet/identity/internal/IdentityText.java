package io.cachet.identity.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/** The identity pages' own messages, for text built outside a page (an e-mail's rejection reason). */
final class IdentityText {

    private static final Map<String, Properties> BY_LANGUAGE = new ConcurrentHashMap<>();

    private IdentityText() {
    }

    /** The message {@code key} in {@code language} (else French), if the identity pages have it. */
    static Optional<String> message(String language, String key) {
        String v = messages(language == null ? "fr" : language).getProperty(key);
        if (v == null) {
            v = messages("fr").getProperty(key);
        }
        return Optional.ofNullable(v);
    }

    private static Properties messages(String language) {
        return BY_LANGUAGE.computeIfAbsent(language.matches("[a-z]{2}") ? language : "fr", l -> {
            Properties p = new Properties();
            try (InputStream in = IdentityText.class.getClassLoader()
                    .getResourceAsStream("pages/" + IdentityPages.NAMESPACE + "/messages_" + l + ".properties")) {
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
