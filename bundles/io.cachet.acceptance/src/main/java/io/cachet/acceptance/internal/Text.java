package io.cachet.acceptance.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/** The form's words in French or English ({@code acceptance/form_<language>.properties}, UTF-8). */
final class Text {

    private static final Map<String, Text> LOADED = new ConcurrentHashMap<>();
    private final Properties words;

    private Text(Properties words) {
        this.words = words;
    }

    /** French for {@code fr}, English otherwise. */
    static Text of(String language) {
        String l = "fr".equals(language) ? "fr" : "en";
        return LOADED.computeIfAbsent(l, Text::load);
    }

    private static Text load(String language) {
        Properties p = new Properties();
        try (InputStream in = Text.class.getClassLoader()
                .getResourceAsStream("acceptance/form_" + language + ".properties")) {
            if (in == null) {
                throw new IllegalStateException("acceptance/form_" + language + ".properties missing");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Text(p);
    }

    /** The text of {@code key}, {@code {0}}, {@code {1}}… replaced by {@code args}. */
    String get(String key, Object... args) {
        String s = words.getProperty(key);
        if (s == null) {
            throw new IllegalStateException("no form text " + key);
        }
        for (int i = 0; i < args.length; i++) {
            s = s.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return s;
    }
}
