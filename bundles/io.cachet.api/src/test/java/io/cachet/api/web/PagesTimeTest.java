package io.cachet.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/** Pages show an instant to the minute, in UTC, the same whatever the JVM's language. */
class PagesTimeTest {

    @Test
    void minutesInUtc() {
        assertEquals("2026-05-06 07:08 UTC", Pages.time(Instant.parse("2026-05-06T07:08:59.999Z")));
        assertEquals("2026-12-31 23:59 UTC", Pages.time(Instant.parse("2027-01-01T00:59:00+01:00")));
    }

    @Test
    void nothingForNull() {
        assertEquals("", Pages.time(null));
    }

    @Test
    void theSameInEveryLanguage() {
        Locale before = Locale.getDefault();
        try {
            for (String tag : new String[] {"fr-FR", "ar-SA", "th-TH-u-ca-buddhist-nu-thai", "hi-IN-u-nu-deva"}) {
                Locale.setDefault(Locale.forLanguageTag(tag));
                assertEquals("2026-05-06 07:08 UTC", Pages.time(Instant.parse("2026-05-06T07:08:09Z")), tag);
            }
        } finally {
            Locale.setDefault(before);
        }
    }
}
