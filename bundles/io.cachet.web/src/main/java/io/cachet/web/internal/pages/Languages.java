package io.cachet.web.internal.pages;

import java.util.List;
import java.util.Locale;

/** Which language a request gets: the switch's parameter, then its cookie, then Accept-Language, else French. */
public final class Languages {

    public static final Locale FRENCH = Locale.FRENCH;
    public static final Locale ENGLISH = Locale.ENGLISH;
    /** The default first. */
    public static final List<Locale> SUPPORTED = List.of(FRENCH, ENGLISH);

    private Languages() {
    }

    /**
     * @param parameter the {@code lang} query parameter, or null
     * @param cookie the {@code lang} cookie, or null
     * @param acceptLanguage the {@code Accept-Language} header, or null
     */
    public static Locale choose(String parameter, String cookie, String acceptLanguage) {
        Locale chosen = supported(parameter);
        if (chosen == null) {
            chosen = supported(cookie);
        }
        if (chosen == null && acceptLanguage != null && !acceptLanguage.isBlank()) {
            try {
                chosen = Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), SUPPORTED);
            } catch (IllegalArgumentException malformed) {
                chosen = null; // a malformed header counts as none
            }
        }
        return chosen == null ? FRENCH : chosen;
    }

    /** The supported language a switch value names ({@code fr}, {@code en}, any case), or null. */
    public static Locale supported(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (Locale l : SUPPORTED) {
            if (l.getLanguage().equals(v)) {
                return l;
            }
        }
        return null;
    }

    /** The language's own name, as the switch shows it. */
    static String nativeName(Locale language) {
        String name = language.getDisplayLanguage(language);
        return name.isEmpty() ? language.getLanguage() : name.substring(0, 1).toUpperCase(language) + name.substring(1);
    }
}
