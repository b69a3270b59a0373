package io.cachet.delivery.token.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/** The pages' own messages, for text built outside a page (the status page's action link). */
final class TokenText {

    private static final Map<String, Properties> BY_LANGUAGE = new ConcurrentHashMap<>();

    private TokenText() {
    }

    /** The message {@code key} in {@code language} (else French), formatted with {@code args}; the key when missing. */
    static String message(String language, String key, Object... args) {
        String l = "en".equals(language) ? "en" : "fr";
        String v = messages(l).getProperty(key, key);
        for (int i = 0; i < args.length; i++) {
            v = v.replace("{" + i + "}", String.valueOf(args[i])); // as the pages replace them: no quoting rules
        }
        return v;
    }

    private static Properties messages(String language) {
        return BY_LANGUAGE.computeIfAbsent(language, l -> {
            Properties p = new Properties();
            try (InputStream in = TokenText.class.getClassLoader()
                    .getResourceAsStream("pages/" + TokenPages.NAMESPACE + "/messages_" + l + ".properties")) {
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
