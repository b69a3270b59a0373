package io.cachet.launcher;

import java.util.logging.LogManager;

/**
 * The JDK's {@link LogManager}, except that it keeps its handlers while the JVM ends. The JDK's own shutdown hook
 * resets the log manager, closing every handler, while the other shutdown hooks still run, among them the orderly
 * stop of the framework (io.cachet.web's OrderlyStop): without this class, what the components log as they stop,
 * and the final "Cachet stopped" line, were lost at random. The handlers are the launcher's console and file handlers
 * ({@link LogSetup}), which flush every record, so nothing is left unwritten when the process ends. Tomcat's log
 * manager skips the reset at exit in the same way.
 *
 * <p>Named by the {@code java.util.logging.manager} system property, which {@link Main} sets before anything logs.
 */
public final class LogsUntilExit extends LogManager {

    @Override
    public void reset() {
        if (exiting()) {
            return;
        }
        super.reset();
    }

    /** Whether the JVM is running its shutdown hooks: then no hook can be added any more (Runtime's contract). */
    static boolean exiting() {
        Thread probe = new Thread(() -> { }, "cachet-exit-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
        Runtime.getRuntime().removeShutdownHook(probe);
        return false;
    }
}
