package io.cachet.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogLevel;

class LogBridgeTest {

    @Test
    void fileInstallFailuresBecomeOneLineSayingWhatToDo() {
        String line = LogBridge.operatorLine("Failed to install artifact: /d/deploy/x.config",
                new IllegalStateException("wrapped", new NumberFormatException("For input string: \"abc\"")));
        assertEquals("Failed to install artifact: /d/deploy/x.config (NumberFormatException: For input string: \"abc\")."
                + " Correct the file in the deploy folder; until then the running configuration and bundles stay as they were.",
                line);
    }

    @Test
    void mapsOsgiLevelsAndDropsDebug() {
        assertEquals(Level.SEVERE, LogBridge.level(LogLevel.ERROR));
        assertEquals(Level.SEVERE, LogBridge.level(LogLevel.AUDIT));
        assertEquals(Level.WARNING, LogBridge.level(LogLevel.WARN));
        assertEquals(Level.INFO, LogBridge.level(LogLevel.INFO));
        assertNull(LogBridge.level(LogLevel.DEBUG));
        assertNull(LogBridge.level(LogLevel.TRACE));
    }
}
