package io.cachet.logging.internal;

import java.util.LinkedHashMap;
import java.util.Map;
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
 * and exception. Two kinds of entry are an operator's to act on, not a developer's, and become one line without a
 * stack trace: a file in DATA/deploy that FileInstall cannot read, and a component that SCR cannot start because its
 * configuration was refused (the component's own check of a value, or SCR's conversion of it). The framework's
 * "service factory returned null" that follows, each time a user of that component asks for it, becomes one line
 * too: its cause is logged already. SCR and the framework report these at each attempt (hundreds within seconds
 * while servlets are asked for), so the same line is said once per {@link #REPEAT_AFTER_MS}.
 */
@Component(immediate = true)
public class LogBridge implements LogListener {

    static final long REPEAT_AFTER_MS = 10 * 60 * 1000L;

    private final Repeats repeats = new Repeats();

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
            } else if (thrown != null) {
                String line = configurationRefused(thrown) ? refusedLine(name, thrown) : factoryFailed(thrown);
                if (line != null) {
                    if (!repeats.firstInAWhile(name + line, entry.getTime())) {
                        return;
                    }
                    message = line;
                    thrown = null;
                }
            }
            LogRecord r = new LogRecord(level, message);
            r.setLoggerName(name);
            r.setThrown(thrown);
            r.setInstant(java.time.Instant.ofEpochMilli(entry.getTime()));
            logger.log(r);
        }
    }

    static String operatorLine(String message, Throwable thrown) {
        Throwable root = root(thrown);
        String why = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage().lines().findFirst().orElse("");
        return message + " (" + why + "). Correct the file in the deploy folder; "
                + "until then the running configuration and bundles stay as they were.";
    }

    /**
     * Whether SCR could not make a component because its configuration was refused: the first cause thrown is an
     * {@link IllegalArgumentException} (a {@link NumberFormatException} too) raised by a Cachet class checking it,
     * or while SCR converted a value to the component's configuration type.
     */
    static boolean configurationRefused(Throwable thrown) {
        Throwable root = root(thrown);
        if (!(root instanceof IllegalArgumentException)) {
            return false;
        }
        for (StackTraceElement frame : root.getStackTrace()) {
            String c = frame.getClassName();
            if (c.startsWith("io.cachet.") || c.startsWith("org.apache.felix.scr.impl.inject.internal.Annotations")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The line for the framework's report that a component's service could not be made (SCR's factory answered null,
     * the component having failed for a reason logged when it did), or null for another exception. Felix Log hands
     * that exception on as its own {@code LogException} naming the original class in its message.
     */
    static String factoryFailed(Throwable thrown) {
        Throwable root = root(thrown);
        String m = root.getMessage() == null ? "" : root.getMessage();
        String prefix = "org.osgi.framework.ServiceException: ";
        if (!(root instanceof org.osgi.framework.ServiceException) && !m.startsWith(prefix)) {
            return null;
        }
        m = m.startsWith(prefix) ? m.substring(prefix.length()) : m;
        if (!m.startsWith("Service factory returned null")) {
            return null;
        }
        return m.lines().findFirst().orElse("") + ": the component could not be made; the reason was logged when it"
                + " failed.";
    }

    /** "<component> is not started: its configuration was refused: <why>. Correct ..." */
    static String refusedLine(String component, Throwable thrown) {
        Throwable root = root(thrown);
        String why = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getMessage().lines().findFirst().orElse("");
        if (root instanceof NumberFormatException) {
            why = "a value is not a number (" + why + ")";
        }
        return component + " is not started: its configuration was refused: " + why + ". Correct the configuration"
                + " (DATA/deploy/<pid>.cfg or the Web Console); the component starts once its values are accepted.";
    }

    /** The lines said lately, to say each once per {@link #REPEAT_AFTER_MS} (the 256 latest). Thread-safe. */
    static final class Repeats {
        private final Map<String, Long> said = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > 256;
            }
        };

        /** True when {@code line} was not said within {@link #REPEAT_AFTER_MS} before {@code now}; remembers it. */
        synchronized boolean firstInAWhile(String line, long now) {
            Long last = said.get(line);
            if (last != null && now - last < REPEAT_AFTER_MS) {
                return false;
            }
            said.put(line, now);
            return true;
        }
    }

    private static Throwable root(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
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
