package io.cachet.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks made before the framework starts, so that the common mistakes end with one clear line and a
 * non-zero exit instead of a half-started server.
 */
public final class Preflight {

    private Preflight() {
    }

    /** Creates the data directory and its sub-folders and proves it is writable. */
    public static void dataDirectory(Path data) throws LaunchOptions.BadOption {
        try {
            Files.createDirectories(data);
            for (String sub : new String[] {"logs", "deploy", "config"}) {
                Files.createDirectories(data.resolve(sub));
            }
            Path probe = Files.createTempFile(data, ".write-test", ".tmp");
            Files.delete(probe);
        } catch (AccessDeniedException e) {
            throw new LaunchOptions.BadOption("Cannot write the data directory " + data
                    + " (permission denied). Fix its permissions or choose another with --data DIR.");
        } catch (FileSystemException e) {
            throw new LaunchOptions.BadOption("Cannot use the data directory " + data + " ("
                    + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason())
                    + "). Choose another with --data DIR.");
        } catch (IOException e) {
            throw new LaunchOptions.BadOption("Cannot use the data directory " + data + " (" + e.getMessage()
                    + "). Choose another with --data DIR.");
        }
    }

    /** The configuration files written into DATA/deploy at first start; an operator edits them there. */
    static final String STORE_CONFIG = """
            # Cachet database (configuration PID io.cachet.store), read by FileInstall from this folder.
            # Empty url: the embedded H2 database in DATA/db. Production: PostgreSQL, e.g.
            #   url=jdbc:postgresql://127.0.0.1:5432/cachet
            #   user=cachet
            #   password=...
            url=
            """;

    /** Writes the default configuration files that are not there yet. Never overwrites an operator's file. */
    public static void defaultConfigurations(Path data) throws LaunchOptions.BadOption {
        Path store = data.resolve("deploy").resolve("io.cachet.store.cfg");
        try {
            if (Files.notExists(store)) {
                Files.writeString(store, STORE_CONFIG);
            }
        } catch (IOException e) {
            throw new LaunchOptions.BadOption("Cannot write " + store + " (" + e.getMessage()
                    + "). Check the permissions of the data directory.");
        }
    }

    /** Fails when another program already listens on the port. */
    static void portFree(int port) throws LaunchOptions.BadOption {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new LaunchOptions.BadOption("Port " + port + " is already in use (or not allowed). "
                    + "Stop the program using it or choose another port with --port N.");
        }
    }
}
