package io.cachet.web.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class ThemeTest {

    static String property(String css, String name) {
        Matcher m = Pattern.compile("--brand-" + name + ": (#[0-9a-f]{6});").matcher(css);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void contrastIsMeasuredAsWcagDoes() {
        assertEquals(21.0, Theme.contrast("#000000", "#ffffff"), 0.01);
        assertEquals(1.0, Theme.contrast("#777777", "#777777"), 0.001);
        assertEquals(4.48, Theme.contrast("#777777", "#ffffff"), 0.01);
    }

    @Test
    void textOnThePrimaryColourAndLinksReadAtFourAndAHalfToOneWhateverTheBrandPicks() {
        for (String colour : new String[] {"#0b3d91", "#7a1f5c", "#ffff00", "#777777", "#00ff00", "#ffffff", "#000000"}) {
            String css = Theme.css(Map.of("primary", colour));
            assertEquals(colour, property(css, "primary"));
            assertTrue(Theme.contrast(colour, property(css, "on-primary")) >= 4.5, colour + " " + css);
            assertTrue(Theme.contrast(property(css, "link"), "#ffffff") >= 4.5, colour + " " + css);
        }
        assertEquals("#ffffff", property(Theme.css(Map.of("primary", "#0b3d91")), "on-primary"));
        assertEquals("#1a1a1a", property(Theme.css(Map.of("primary", "#ffff00")), "on-primary"));
        assertEquals("#0b3d91", property(Theme.css(Map.of("primary", "#0b3d91")), "link"), "dark enough: kept");
    }

    @Test
    void onlyHexColoursOfWellNamedRolesGetIn() {
        String css = Theme.css(Map.of("primary", "red;} body{display:none", "accent", "#123456", "Bad Role", "#000000",
                "surface", "#fafafa"));
        assertEquals(Theme.DEFAULT_PRIMARY, property(css, "primary"));
        assertEquals("#123456", property(css, "accent"));
        assertEquals("#fafafa", property(css, "surface"));
        assertFalse(css.contains("display") || css.contains("Bad"), css);
    }
}
