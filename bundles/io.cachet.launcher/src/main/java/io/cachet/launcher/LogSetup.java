package io.cachet.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Logging for the whole process: java.util.logging is the back end (SLF4J reaches it through slf4j-jdk14),
 * with one line per record to the console and to a rolling file set in DATA/logs. The JDK's FileHandler
 * already rotates by size, so no logging library is needed before the framework starts.
 */
final class LogSetup {

    static final int FILE_LIMIT = 10 * 1024 * 1024;
    static final int FILE_COUNT = 10;

    /**
     * Libraries that are chatty at INFO; their warnings still come through. Held here: JUL keeps only weak
     * references to loggers, and a collected logger forgets its level. EU DSS logs a line for every signature and
     * validation object it creates.
     */
    private static final List<Logger> QUIETER = List.of(Logger.getLogger("org.eclipse.jetty"),
            Logger.getLogger("eu.europa.esig"));

    private LogSetup() {
    }

    static void install(Path logDir, Level level) throws IOException {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        Formatter oneLine = new OneLineFormatter();
        Handler console = new ConsoleHandler();
        console.setLevel(level);
        console.setFormatter(oneLine);
        root.addHandler(console);
        FileHandler file = new FileHandler(logDir.resolve("cachet.%g.log").toString(), FILE_LIMIT, FILE_COUNT, true);
        file.setLevel(level);
        file.setFormatter(oneLine);
        file.setEncoding("UTF-8");
        root.addHandler(file);
        QUIETER.forEach(l -> l.setLevel(Level.WARNING));
    }

    /** {@code 2026-01-01T10:00:00.123Z INFO    logger - message}, then the stack trace if any. */
    static final class OneLineFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder b = new StringBuilder(160)
                    .append(Instant.ofEpochMilli(r.getMillis()))
                    .append(' ')
                    .append(String.format("%-7s", r.getLevel().getName()))
                    .append(' ')
                    .append(r.getLoggerName())
                    .append(" - ")
                    .append(formatMessage(r))
                    .append(System.lineSeparator());
            if (r.getThrown() != null) {
                java.io.StringWriter sw = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(sw));
                b.append(sw);
            }
            return b.toString();
        }
    }
}
