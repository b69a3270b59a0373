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
            LogRecord r = new LogRecord(level, entry.getMessage());
            r.setLoggerName(name);
            r.setThrown(entry.getException());
            r.setInstant(java.time.Instant.ofEpochMilli(entry.getTime()));
            logger.log(r);
        }
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
