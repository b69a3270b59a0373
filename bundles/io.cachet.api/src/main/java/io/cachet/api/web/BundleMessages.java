package io.cachet.api.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bundle's own page messages ({@code pages/<namespace>/messages_<language>.properties} of its class loader, as its
 * {@link PageSource} serves them) for text made outside a page, where there is a language but no request: a
 * {@link io.cachet.api.order.StatusAction}'s link, say. French or English (another language reads French); a key
 * missing in English is read in French, then the key itself is shown. Arguments replace {@code {0}}, {@code {1}}… as
 * the pages do, without quoting rules. A brand's overrides are not seen (they need the request). Thread-safe.
 *
 * @since 1.4
 */
public final class BundleMessages {

    private final ClassLoader loader;
    private final String namespace;
    private final Map<String, Properties> byLanguage = new ConcurrentHashMap<>();

    private BundleMessages(ClassLoader loader, String namespace) {
        this.loader = Objects.requireNonNull(loader);
        this.namespace = Objects.requireNonNull(namespace);
    }

    /** The messages of {@code namespace} in the bundle of {@code owner}. */
    public static BundleMessages of(Class<?> owner, String namespace) {
        return new BundleMessages(owner.getClassLoader(), namespace);
    }

    /** The message {@code key} in {@code language}, with {@code args}; the key itself when there is none. */
    public String text(String language, String key, Object... args) {
        String v = messages("en".equals(language) ? "en" : "fr").getProperty(key);
        if (v == null) {
            v = messages("fr").getProperty(key, key);
        }
        for (int i = 0; i < args.length; i++) {
            v = v.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return v;
    }

    /** Whether {@code key} exists in {@code language} or in French. */
    public boolean has(String language, String key) {
        return messages("en".equals(language) ? "en" : "fr").getProperty(key) != null
                || messages("fr").getProperty(key) != null;
    }

    private Properties messages(String language) {
        return byLanguage.computeIfAbsent(language, l -> {
            Properties p = new Properties();
            try (InputStream in = loader.getResourceAsStream("pages/" + namespace + "/messages_" + l
                    + ".properties")) {
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
