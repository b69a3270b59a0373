package io.cachet.cli;

import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.logging.Logger;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar cachet-cli.jar <command>}. Each command uses Cachet's bundles as plain jars, without the
 * server. Errors end with one line on stderr and a non-zero exit code, never a stack trace (use
 * {@code --debug} before the command to see one).
 */
@Command(name = "cachet-cli", mixinStandardHelpOptions = true, versionProvider = CachetCli.Version.class,
        description = "Cachet command line.", subcommands = {SignCommand.class, VerifyCommand.class, AuditCommand.class, CaCommand.class, DemoCommand.class,
                TokenCommand.class,
                CommandLine.HelpCommand.class})
public final class CachetCli implements Callable<Integer> {

    @CommandLine.Option(names = "--debug", description = "Show stack traces and library logs.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return run(null, null, args);
    }

    /** Runs with the given output and error writers ({@code null}: the process's); tests read them. */
    static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        configureLogging(debug, err);
        CommandLine cl = new CommandLine(new CachetCli());
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("cachet-cli: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (debug) {
                e.printStackTrace(line.getErr());
            }
            return 2;
        });
        return cl.execute(args);
    }

    /**
     * Library logs (PDFBox through commons-logging, DSS through SLF4J, Hikari, Flyway: all end in
     * java.util.logging here) never reach the terminal: a command says what went wrong in its own one line. With
     * {@code --debug} they are shown on stderr, with their stack traces.
     */
    static void configureLogging(boolean debug, java.io.PrintWriter err) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        if (!debug) {
            root.setLevel(Level.OFF);
            return;
        }
        root.setLevel(Level.INFO);
        java.io.PrintWriter to = err != null ? err : new java.io.PrintWriter(System.err, true);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (!isLoggable(record)) {
                    return;
                }
                synchronized (to) {
                    to.println("[" + record.getLevel() + "] " + record.getLoggerName() + ": "
                            + new SimpleFormatter().formatMessage(record));
                    if (record.getThrown() != null) {
                        record.getThrown().printStackTrace(to);
                    }
                    to.flush();
                }
            }

            @Override
            public void flush() {
                to.flush();
            }

            @Override
            public void close() {
                to.flush();
            }
        };
        handler.setLevel(Level.INFO);
        root.addHandler(handler);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = CachetCli.class.getPackage().getImplementationVersion();
            return new String[] {"cachet-cli " + (v == null ? "development build" : v)};
        }
    }
}
