package io.cachet.logging.internal;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Copies entries of the OSGi log service — where the framework, SCR and the HTTP whiteboard report, e.g. why a
 * component failed to activate — into java.util.logging, the process log that the launcher writes to the console
 * and to DATA/logs. Debug entries and routine framework events are dropped; the rest keep their level, logger
 * and exception.
 */
@Component(immediate = true)
public class LogBridge implements LogListener {

    private final LogReaderService reader;

    @Activate
    public LogBridge(@Reference LogReaderService reader) {
        this.reader = reader;
        reader.addLogListener(this);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        Level level = level(entry.getLogLevel());
        if (level == null || level == Level.INFO && entry.getLoggerName() != null
                && entry.getLoggerName().startsWith("Events.")) {
            // every bundle and service event is logged by the framework at INFO: only its problems matter here
            return;
        }
        String name = entry.getLoggerName() == null || entry.getLoggerName().equals("LogService")
                ? "osgi." + (entry.getBundle() == null ? "framework" : entry.getBundle().getSymbolicName())
                : entry.getLoggerName();
        Logger logger = Logger.getLogger(name);
        if (logger.isLoggable(level)) {
            String message = entry.getMessage();
            Throwable thrown = entry.getException();
            if (thrown != null && entry.getBundle() != null
                    && "org.apache.felix.fileinstall".equals(entry.getBundle().getSymbolicName())) {
                // a file an operator dropped into DATA/deploy is wrong: say what and what to do, in one line
                message = operatorLine(message, thrown);
                thrown = null;
            }
            LogRecord r = new LogRecord(level, message);
            r.setLoggerName(name);
            r.setThrown(thrown);
            r.setInstant(java.time.Instant.ofEpochMilli(entry.getTime()));
            logger.log(r);
        }
    }

    static String operatorLine(String message, Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage().lines().findFirst().orElse("");
        return message + " (" + why + "). Correct the file in the deploy folder; "
                + "until then the running configuration and bundles stay as they were.";
    }

    /** OSGi log levels onto JUL; null for what is not worth a line (debug and trace). */
    static Level level(org.osgi.service.log.LogLevel level) {
        return switch (level) {
            case AUDIT, ERROR -> Level.SEVERE;
            case WARN -> Level.WARNING;
            case INFO -> Level.INFO;
            default -> null;
        };
    }
}
