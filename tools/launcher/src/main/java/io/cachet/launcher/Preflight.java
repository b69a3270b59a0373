package io.cachet.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Checks made before the framework starts, so that the common mistakes end with one clear line and a
 * non-zero exit instead of a half-started server.
 */
public final class Preflight {

    private Preflight() {
    }

    /** What others may never have on anything in DATA: it holds password hashes, the audit log, keys. */
    private static final Set<PosixFilePermission> NEVER = EnumSet.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /**
     * Creates the data directory and its sub-folders (owner only, 0700), takes every access of other users
     * away from what is already in it, and proves it is writable.
     */
    public static void dataDirectory(Path data) throws LaunchOptions.BadOption {
        try {
            createOwnerOnly(data);
            for (String sub : new String[] {"logs", "deploy", "config"}) {
                createOwnerOnly(data.resolve(sub));
            }
            restrict(data);
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

    /**
     * Creates {@code dir} with mode 0700 (the umask can only take bits away) when it does not exist; its parents
     * as the umask says: they are the operator's.
     */
    static void createOwnerOnly(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (posix(parent == null ? dir : parent)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectory(dir);
        }
    }

    /**
     * Takes from every directory and regular file under {@code data} the permissions of other users and the
     * group's write (and, on files, execute) permission: files end up 0600 or 0640, directories 0700 or 0750.
     * Files that libraries create (the H2 database, FileInstall's and Felix's files) get the umask's mode; this
     * closes them at the next start, and the 0700 data directory shuts others out meanwhile. Symbolic links are
     * neither followed nor changed; what Cachet cannot change (another owner) is left as it is.
     */
    static void restrict(Path data) throws IOException {
        if (!posix(data)) {
            return;
        }
        Files.walkFileTree(data, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                remove(dir, NEVER);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    Set<PosixFilePermission> never = EnumSet.copyOf(NEVER);
                    never.add(PosixFilePermission.GROUP_EXECUTE);
                    remove(file, never);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // unreadable for Cachet: not Cachet's to change
            }
        });
    }

    private static void remove(Path p, Set<PosixFilePermission> never) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (perms.removeAll(never)) {
                Files.setPosixFilePermissions(p, perms);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // another owner's file, or a file system without POSIX modes: leave it
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
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
                // it may hold the database password: owner only, from the start
                if (posix(store.getParent())) {
                    Files.createFile(store, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
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
