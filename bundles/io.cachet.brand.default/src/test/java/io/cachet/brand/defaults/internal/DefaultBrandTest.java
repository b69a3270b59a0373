package io.cachet.brand.defaults.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DefaultBrandTest {

    @Test
    void keepsItsConfiguredValues() {
        DefaultBrand brand = new DefaultBrand(" Cachet ", "#0B3D91", "help@x.example");
        assertEquals("default", brand.id());
        assertEquals("Cachet", brand.displayName());
        assertEquals("#0B3D91", brand.primaryColour());
        assertEquals("help@x.example", brand.supportEmail());
    }

    @Test
    void refusesAColourThatIsNotCssHexAndSaysWhichSetting() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DefaultBrand("Cachet", "blue;}", ""));
        assertTrue(e.getMessage().contains("primaryColour"), e.getMessage());
    }

    @Test
    void refusesAnEmptyName() {
        assertThrows(IllegalArgumentException.class, () -> new DefaultBrand(" ", "#000000", ""));
    }

    @Test
    void bringsItsLogoAndItsColourToThePages() throws Exception {
        DefaultBrand brand = new DefaultBrand("Cachet", "#123456", "");
        assertNotNull(brand.logo(), "brand/logo.svg of this bundle");
        try (var in = brand.logo().openStream()) {
            assertTrue(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).startsWith("<svg"));
        }
        assertEquals(java.util.Map.of("primary", "#123456"), brand.colours(), "the configured colour");
        assertNull(brand.messages("fr"), "the pages' own words");
        assertNull(brand.template("cachet/home.ftlh"), "the pages' own templates");
    }
}
