package io.cachet.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.cachet.api.brand.Brand;

class BrandSelectorTest {

    record TestBrand(String id, String displayName, String primaryColour, String supportEmail) implements Brand {
    }

    private static final Brand DEFAULT = new TestBrand("default", "Cachet", "#000000", "");
    private static final Brand ACME = new TestBrand("acme", "ACME Trust", "#ff0000", "help@acme.example");

    @Test
    void followsTheConfiguredBrandAndFallsBackWhenItGoes() {
        BrandSelector s = new BrandSelector();
        assertEquals("builtin", s.current().id(), "nothing installed yet");
        s.addBrand(DEFAULT);
        s.select("acme");
        assertEquals("default", s.current().id(), "acme not installed: default shown");
        s.addBrand(ACME);
        assertEquals("acme", s.current().id());
        s.select("default");
        assertEquals(ACME, s.installed("acme"), "installed, though not shown: for pages of that brand");
        s.removeBrand(ACME);
        assertEquals("default", s.current().id());
        assertEquals(null, s.installed("acme"));
    }
}
