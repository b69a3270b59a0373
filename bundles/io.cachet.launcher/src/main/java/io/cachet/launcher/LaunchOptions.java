package io.cachet.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of {@code java -jar cachet.jar}, parsed and checked. */
public record LaunchOptions(Path dataDir, int port, boolean help, boolean console) {

    public static final String USAGE = """
            Usage: java -jar cachet.jar [--data DIR] [--port N]
              --data DIR   where Cachet keeps its database, keys, configuration and logs (default ./cachet-data)
              --port N     HTTP port (default 8080)
              --console    attach the Gogo shell to this terminal (it never listens on the network)
              --help       show this help""";

    /** Thrown for a bad command line; the message is the one line to show. */
    public static final class BadOption extends Exception {
        private static final long serialVersionUID = 1L;

        BadOption(String message) {
            super(message);
        }
    }

    public static LaunchOptions parse(String... args) throws BadOption {
        Path data = Path.of("cachet-data");
        int port = 8080;
        boolean help = false;
        boolean console = false;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h" -> help = true;
                case "--console" -> console = true;
                case "--data" -> data = Path.of(valueOf(arg, value, rest));
                case "--port" -> port = port(valueOf(arg, value, rest));
                default -> throw new BadOption("Unknown option '" + arg + "'. Run with --help to see the options.");
            }
        }
        return new LaunchOptions(data.toAbsolutePath().normalize(), port, help, console);
    }

    private static String valueOf(String option, String inline, List<String> rest) throws BadOption {
        if (inline != null) {
            return inline;
        }
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new BadOption("Option " + option + " needs a value, e.g. " + option
                    + (option.equals("--port") ? " 8080" : " /var/lib/cachet"));
        }
        return rest.remove(0);
    }

    private static int port(String value) throws BadOption {
        try {
            int p = Integer.parseInt(value.trim());
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadOption("--port must be a number from 1 to 65535, got '" + value + "'");
    }
}
