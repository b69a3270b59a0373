package io.cachet.brand.defaults.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
