package io.cachet.web.internal.pages;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A brand's colours as a stylesheet of CSS custom properties, with text colours that stay readable: the text on
 * the primary colour is white or near-black, whichever contrasts more (black if neither reaches 4.5:1), and links use the
 * accent darkened until it reaches 4.5:1 on the white page (WCAG 2.1, 1.4.3).
 */
public final class Theme {

    static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");
    static final Pattern ROLE = Pattern.compile("[a-z][a-z-]{0,30}");
    static final String DEFAULT_PRIMARY = "#0b3d91";
    static final String WHITE = "#ffffff";
    static final String INK = "#1a1a1a";
    static final String BLACK = "#000000";
    static final double MIN_CONTRAST = 4.5;

    private Theme() {
    }

    /** The stylesheet; invalid roles or colours are left out. */
    public static String css(Map<String, String> colours) {
        Map<String, String> valid = new TreeMap<>();
        if (colours != null) {
            colours.forEach((role, value) -> {
                if (role != null && value != null && ROLE.matcher(role).matches() && HEX.matcher(value.strip()).matches()) {
                    valid.put(role, value.strip().toLowerCase(Locale.ROOT));
                }
            });
        }
        String primary = valid.getOrDefault("primary", DEFAULT_PRIMARY);
        valid.put("primary", primary);
        String accent = valid.getOrDefault("accent", primary);
        valid.put("on-primary", onColour(primary));
        valid.put("link", readableOn(accent, WHITE));
        valid.put("focus", readableOn(accent, WHITE));
        StringBuilder css = new StringBuilder(":root {\n");
        valid.forEach((role, value) -> css.append("  --brand-").append(role).append(": ").append(value).append(";\n"));
        return css.append("}\n").toString();
    }

    /**
     * White or near-black, whichever reads better on {@code background}; black when neither reaches 4.5:1 (a mid
     * grey): white or black always does.
     */
    static String onColour(String background) {
        String best = contrast(background, WHITE) >= contrast(background, INK) ? WHITE : INK;
        if (contrast(background, best) < MIN_CONTRAST) {
            best = contrast(background, WHITE) >= contrast(background, BLACK) ? WHITE : BLACK;
        }
        return best;
    }

    /** {@code colour}, darkened (or lightened on a dark background) until it reads at 4.5:1 on {@code background}. */
    static String readableOn(String colour, String background) {
        int[] rgb = rgb(colour);
        boolean darken = luminance(rgb(background)) > 0.5;
        for (int i = 0; i < 40 && contrast(hex(rgb), background) < MIN_CONTRAST; i++) {
            for (int c = 0; c < 3; c++) {
                rgb[c] = darken ? (int) Math.floor(rgb[c] * 0.9) : (int) Math.ceil(rgb[c] + (255 - rgb[c]) * 0.1);
            }
        }
        return hex(rgb);
    }

    /** WCAG contrast ratio, 1 to 21. */
    static double contrast(String a, String b) {
        double la = luminance(rgb(a));
        double lb = luminance(rgb(b));
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    static double luminance(int[] rgb) {
        double[] lin = new double[3];
        for (int i = 0; i < 3; i++) {
            double c = rgb[i] / 255.0;
            lin[i] = c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
    }

    static int[] rgb(String hex) {
        int v = Integer.parseInt(hex.substring(1), 16);
        return new int[] {(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff};
    }

    static String hex(int[] rgb) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    }
}
