package io.cachet.web.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;

import org.junit.jupiter.api.Test;

class LanguagesTest {

    @Test
    void theSwitchWinsThenItsCookieThenTheBrowserElseFrench() {
        assertEquals(Locale.ENGLISH, Languages.choose("en", "fr", "fr-FR"));
        assertEquals(Locale.FRENCH, Languages.choose("FR", "en", "en-GB"));
        assertEquals(Locale.ENGLISH, Languages.choose(null, "en", "fr"));
        assertEquals(Locale.ENGLISH, Languages.choose("de", "xx", "de-DE,en-GB;q=0.8,fr;q=0.5"), "best supported q");
        assertEquals(Locale.FRENCH, Languages.choose(null, null, "fr-CA,en;q=0.9"));
        assertEquals(Locale.FRENCH, Languages.choose(null, null, "de, it"), "nothing supported: French");
        assertEquals(Locale.FRENCH, Languages.choose(null, null, null));
        assertEquals(Locale.FRENCH, Languages.choose(null, null, ";;;q=zz,"), "malformed header: French");
        assertEquals(Locale.ENGLISH, Languages.choose(null, null, "*;q=0.1,en-US"));
    }

    @Test
    void theSwitchShowsEachLanguageInItself() {
        assertEquals("Français", Languages.nativeName(Locale.FRENCH));
        assertEquals("English", Languages.nativeName(Locale.ENGLISH));
    }
}
