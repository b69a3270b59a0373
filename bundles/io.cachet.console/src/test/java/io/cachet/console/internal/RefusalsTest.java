package io.cachet.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.cachet.api.operator.Authentication;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.web.Pages;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestPages;

class RefusalsTest {

    final Pages pages = TestPages.create(new ConsolePages());

    @Test
    void everyCodeIsWordedInBothLanguagesAndTheFrenchIsATranslation() {
        Properties en = Refusals.messages("en");
        Properties fr = Refusals.messages("fr");
        Set<String> enKeys = en.stringPropertyNames().stream().filter(k -> k.startsWith(Refusals.PREFIX))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> frKeys = fr.stringPropertyNames().stream().filter(k -> k.startsWith(Refusals.PREFIX))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(enKeys, frKeys);
        assertTrue(enKeys.size() >= 25, enKeys.toString());
        for (String k : enKeys) {
            assertNotEquals(en.getProperty(k), fr.getProperty(k), k);
            for (int i = 0; i < 3; i++) {
                assertEquals(en.getProperty(k).contains("{" + i + "}"), fr.getProperty(k).contains("{" + i + "}"),
                        k + " names the same values");
            }
        }
    }

    @Test
    void aCodedRefusalIsWordedWithItsValuesAndAnUnknownCodeKeepsTheDirectorysSentence() {
        var french = FakeHttp.request("GET", "/console").header("Accept-Language", "fr").build();
        assertEquals("Choisissez un nouveau mot de passe d’au moins 12 caractères.", Refusals.text(pages, french,
                new OperatorException(OperatorException.Reason.INVALID, "password.too-short", "Choose…", "12")));
        assertEquals("A later rule.", Refusals.text(pages, french,
                new OperatorException(OperatorException.Reason.INVALID, "password.some-later-rule", "A later rule.")));
        assertEquals("No code.", Refusals.text(pages, french, new OperatorException("No code.")));
        assertEquals("Trop d’essais manqués depuis votre adresse ou pour ce compte : réessayez dans 4 s.",
                Refusals.text(pages, french, Authentication.throttled(java.time.Duration.ofMillis(3_200))));
        assertFalse(Refusals.text(pages, french, Authentication.denied("Plain.")).isEmpty());
    }
}
