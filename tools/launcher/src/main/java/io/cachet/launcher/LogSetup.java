package io.cachet.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
     * validation object it creates; SPI Fly one per service provider it registers (14 at each start), Hikari and the
     * Felix web console their own start and stop, which Cachet's lines already say.
     */
    private static final List<Logger> QUIETER = List.of(Logger.getLogger("org.eclipse.jetty"),
            Logger.getLogger("eu.europa.esig"), Logger.getLogger("Jakartars.serviceRuntime"),
            Logger.getLogger("org.apache.aries.spifly"), Logger.getLogger("com.zaxxer.hikari"),
            Logger.getLogger("org.apache.felix.webconsole"));

    /**
     * Warnings that are not: the REST whiteboard hands Jersey its resources as instances, which Jersey's provider
     * check reports one line per resource at every rebuild of the API; Jersey's WADL feature reports a JAXB it
     * is not meant to use (Cachet's API is described by OpenAPI); the whiteboard's runtime check warns of every
     * Jersey bundle that stops, which at an orderly stop is all of them (a missing one shows in /health). Their
     * errors still come through.
     */
    private static final List<Logger> ERRORS_ONLY = List.of(
            Logger.getLogger("org.glassfish.jersey.internal.inject.Providers"),
            Logger.getLogger("org.glassfish.jersey.server.wadl.WadlFeature"), Logger.getLogger("runtime.check"));

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
        FileHandler file = fileHandler(logDir, FILE_LIMIT, FILE_COUNT);
        file.setLevel(level);
        file.setFormatter(oneLine);
        file.setEncoding("UTF-8");
        root.addHandler(file);
        QUIETER.forEach(l -> l.setLevel(Level.WARNING));
        ERRORS_ONLY.forEach(l -> l.setLevel(Level.SEVERE));
    }

    /**
     * The rolling {@code cachet.N.log} files, readable by their owner only (0600): logs name operators, clients'
     * addresses and certificate subjects. The JDK's handler creates its files with the process's umask, at start
     * and at every rotation; the file is created beforehand with mode 0600 and tightened again at every rotation.
     */
    static FileHandler fileHandler(Path logDir, int limit, int count) throws IOException {
        Path first = logDir.resolve("cachet.0.log");
        if (Files.notExists(first) && posix(logDir)) {
            Files.createFile(first, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        OwnerOnlyFileHandler handler = new OwnerOnlyFileHandler(logDir, limit, count);
        ownerOnly(logDir);
        return handler;
    }

    /** Takes every permission of group and others from the log files (and the handler's lock file). */
    static void ownerOnly(Path logDir) {
        if (!posix(logDir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logDir, "cachet.*")) {
            for (Path f : files) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (IOException e) {
            // the data directory (0700) still shuts others out; logging must not stop for this
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** A FileHandler that closes its files to group and others whenever it opens one (start and rotation). */
    private static final class OwnerOnlyFileHandler extends FileHandler {
        private final Path logDir;

        OwnerOnlyFileHandler(Path logDir, int limit, int count) throws IOException {
            super(logDir.resolve("cachet.%g.log").toString(), limit, count, true);
            this.logDir = logDir;
        }

        @Override
        protected synchronized void setOutputStream(OutputStream out) {
            super.setOutputStream(out);
            if (logDir != null) { // null while the super constructor opens the first file: fileHandler() then
                ownerOnly(logDir);
            }
        }
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
