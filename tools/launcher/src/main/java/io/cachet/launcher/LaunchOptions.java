package io.cachet.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code java -jar cachet.jar}, parsed and checked.
 *
 * @param host the address the HTTP(S) connector binds to; 127.0.0.1 unless the operator opens it up
 * @param tls where the server's TLS key and certificate come from, or null for plain HTTP
 */
public record LaunchOptions(Path dataDir, int port, boolean help, boolean console, String host, TlsSource tls) {

    /** The address Cachet listens on by default: this machine only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /**
     * The server's TLS key and certificate chain: a keystore (PKCS#12 or JKS) with its password in a file or in
     * the environment variable {@code CACHET_TLS_PASSWORD}, or PEM files (chain, then PKCS#8 key).
     */
    public record TlsSource(Path keystore, Path passwordFile, Path certificatePem, Path keyPem) {
    }

    public LaunchOptions(Path dataDir, int port, boolean help, boolean console) {
        this(dataDir, port, help, console, DEFAULT_HOST, null);
    }

    public static final String USAGE = """
            Usage: java -jar cachet.jar [--data DIR] [--port N] [--host ADDR] [TLS options]
              --data DIR   where Cachet keeps its database, keys, configuration and logs (default ./cachet-data)
              --port N     HTTP port, or HTTPS port when TLS is on (default 8080)
              --host ADDR  address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for every interface)
              --console    attach the Gogo shell to this terminal (it never listens on the network)
              --help       show this help
            TLS (HTTPS only on --port, with HSTS):
              --tls-keystore FILE        PKCS#12 (or JKS) keystore holding one key and its certificate chain;
                                         its password in --tls-password-file FILE or in $CACHET_TLS_PASSWORD
              --tls-cert FILE --tls-key FILE
                                         or PEM files: the certificate chain (server first) and the PKCS#8 key""";

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
        String host = DEFAULT_HOST;
        Path keystore = null;
        Path passwordFile = null;
        Path certificate = null;
        Path key = null;
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
                case "--host" -> host = host(valueOf(arg, value, rest));
                case "--tls-keystore" -> keystore = Path.of(valueOf(arg, value, rest));
                case "--tls-password-file" -> passwordFile = Path.of(valueOf(arg, value, rest));
                case "--tls-cert" -> certificate = Path.of(valueOf(arg, value, rest));
                case "--tls-key" -> key = Path.of(valueOf(arg, value, rest));
                default -> throw new BadOption("Unknown option '" + arg + "'. Run with --help to see the options.");
            }
        }
        return new LaunchOptions(data.toAbsolutePath().normalize(), port, help, console, host,
                tls(keystore, passwordFile, certificate, key));
    }

    private static TlsSource tls(Path keystore, Path passwordFile, Path certificate, Path key) throws BadOption {
        if (keystore == null && certificate == null && key == null) {
            if (passwordFile != null) {
                throw new BadOption("--tls-password-file is the password of --tls-keystore FILE; give the keystore too");
            }
            return null;
        }
        if (keystore != null && (certificate != null || key != null)) {
            throw new BadOption("Give either --tls-keystore FILE or --tls-cert FILE with --tls-key FILE, not both");
        }
        if (keystore == null && (certificate == null || key == null)) {
            throw new BadOption("PEM TLS needs both --tls-cert FILE (the certificate chain) and --tls-key FILE "
                    + "(the PKCS#8 private key)");
        }
        if (keystore == null && passwordFile != null) {
            throw new BadOption("--tls-password-file goes with --tls-keystore; the PEM key must be unencrypted "
                    + "(protect it with file permissions)");
        }
        return new TlsSource(abs(keystore), abs(passwordFile), abs(certificate), abs(key));
    }

    private static Path abs(Path p) {
        return p == null ? null : p.toAbsolutePath().normalize();
    }

    /** An IP address (v4 or v6) or a host name; checked for syntax only, the connector resolves it. */
    private static String host(String value) throws BadOption {
        String h = value.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.matches("[0-9A-Fa-f:.]+") && h.contains(":") || h.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})")) {
            return h;
        }
        throw new BadOption("--host must be an IP address or a host name of this machine (127.0.0.1 for this "
                + "machine only, 0.0.0.0 for every interface), got '" + value + "'");
    }

    private static String valueOf(String option, String inline, List<String> rest) throws BadOption {
        if (inline != null) {
            return inline;
        }
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new BadOption("Option " + option + " needs a value, e.g. " + option
                    + switch (option) {
                        case "--port" -> " 8080";
                        case "--host" -> " 127.0.0.1";
                        case "--data" -> " /var/lib/cachet";
                        default -> " /etc/cachet/tls.p12";
                    });
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
