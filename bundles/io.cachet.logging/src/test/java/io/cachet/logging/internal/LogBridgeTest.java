package io.cachet.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Thrown from a class named {@code cls}, as a component's configuration check or SCR's conversion throws. */
    private static <T extends RuntimeException> T from(T e, String cls) {
        e.setStackTrace(new StackTraceElement[] { new StackTraceElement(cls, "of", cls + ".java", 42) });
        return e;
    }

    @Test
    void aComponentWhoseConfigurationWasRefusedIsOneLineSaidOnceInAWhile() {
        RuntimeException checked = new RuntimeException("java.lang.reflect.InvocationTargetException", from(
                new IllegalArgumentException("reminderDays of configuration PID io.cachet.portal must list whole"
                        + " numbers of days from 0 to 90 separated by commas, e.g. 7,1; not 'x'"),
                "io.cachet.logging.internal.SampleSettings"));
        assertTrue(LogBridge.configurationRefused(checked));
        assertEquals("io.cachet.logging.internal.SampleServlet is not started: its configuration was refused:"
                + " reminderDays of configuration PID io.cachet.portal must list whole numbers of days from 0 to 90"
                + " separated by commas, e.g. 7,1; not 'x'. Correct the configuration (DATA/deploy/<pid>.cfg or the Web"
                + " Console); the component starts once its values are accepted.",
                LogBridge.refusedLine("io.cachet.logging.internal.SampleServlet", checked));

        RuntimeException converted = new RuntimeException("ComponentException", from(
                new NumberFormatException("For input string: \"100,2\""),
                "org.apache.felix.scr.impl.inject.internal.Annotations"));
        assertTrue(LogBridge.configurationRefused(converted));
        assertTrue(LogBridge.refusedLine("c", converted).contains("a value is not a number (For input string:"
                + " \"100,2\")"));

        assertFalse(LogBridge.configurationRefused(new RuntimeException(from(new IllegalStateException("bug"),
                "io.cachet.logging.internal.SampleSettings"))), "not an argument refused: the stack trace stays");
        assertFalse(LogBridge.configurationRefused(from(new IllegalArgumentException("x"), "org.h2.Driver")),
                "a library's own: the stack trace stays");

        LogBridge.Repeats bridge = new LogBridge.Repeats();
        assertTrue(bridge.firstInAWhile("line", 1_000));
        assertFalse(bridge.firstInAWhile("line", 2_000), "SCR's next attempt a second later");
        assertTrue(bridge.firstInAWhile("other", 2_000));
        assertTrue(bridge.firstInAWhile("line", 1_000 + LogBridge.REPEAT_AFTER_MS), "said again after a while");
    }

    @Test
    void aServiceWhoseFactoryFailedIsOneLinePointingToTheCause() {
        String felix = "org.osgi.framework.ServiceException: Service factory returned null. (Component:"
                + " io.cachet.acceptance (17))";
        assertEquals("Service factory returned null. (Component: io.cachet.acceptance (17)): the component could not"
                + " be made; the reason was logged when it failed.", LogBridge.factoryFailed(new RuntimeException(felix)),
                "as Felix Log hands it on");
        assertEquals("Service factory returned null. (Component: x (1)): the component could not be made; the reason"
                + " was logged when it failed.", LogBridge.factoryFailed(new org.osgi.framework.ServiceException(
                        "Service factory returned null. (Component: x (1))",
                        org.osgi.framework.ServiceException.FACTORY_ERROR)));
        assertNull(LogBridge.factoryFailed(new org.osgi.framework.ServiceException("Service factory threw")));
        assertNull(LogBridge.factoryFailed(new IllegalStateException("other")));
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
