package io.cachet.portal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The reminders' thresholds as an operator writes them in DATA/deploy/io.cachet.portal.cfg or the Web Console. */
class PortalSettingsTest {

    @Test
    void reminderDaysAreReadAsAListOfThresholds() {
        assertEquals(List.of(1, 7), PortalSettings.reminderDays("7,1"), "the default");
        assertEquals(List.of(1, 3, 14), PortalSettings.reminderDays(" 14, 3 ,1 "));
        assertEquals(List.of(2, 5), PortalSettings.reminderDays("5 2;5"), "spaces and semicolons; a repeat once");
        assertEquals(List.of(7), PortalSettings.reminderDays("7"), "one threshold, as the setting used to be");
        assertEquals(List.of(), PortalSettings.reminderDays("0"), "0: no reminder");
        assertEquals(List.of(), PortalSettings.reminderDays(""));
        assertEquals(List.of(), PortalSettings.reminderDays(null));
    }

    @Test
    void aWrongValueIsRefusedWithTheSettingNamedAndAnExample() {
        for (String wrong : List.of("7,", "seven", "-1", "91", "7,,1", "1.5")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PortalSettings.reminderDays(wrong), wrong);
            assertTrue(e.getMessage().startsWith("reminderDays of configuration PID io.cachet.portal must list"),
                    e.getMessage());
        }
    }
}
