package io.cachet.notify.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.security.SecretVault;

/**
 * A secret (the SMTP password, the SMS gateway's token) kept in a file sealed with the master key, never in a
 * configuration. The operator writes it in clear on the file's first line; the first read seals the file in place
 * (atomically, owner-only) so that the clear text is read only that once. The same scheme as the CA token's PIN.
 */
public final class SealedSecretFile {

    private static final Logger LOG = LoggerFactory.getLogger(SealedSecretFile.class);
    /** First byte of every blob the vault seals (its format version); never the first byte of a text secret. */
    private static final byte SEALED_FORMAT = 1;

    private SealedSecretFile() {
    }

    /**
     * The secret in {@code file}, sealing it first if it is in clear.
     *
     * @param what what it is, for messages: e.g. {@code SMTP password}
     * @throws IllegalStateException naming the file and what to do when it is missing, empty, unreadable or sealed
     *         under another master key
     */
    public static char[] read(Path file, String purpose, String what, SecretVault vault) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the " + what + " file " + file + " is missing: write the " + what
                    + " on its first line (Cachet seals it with the master key at start)");
        }
        byte[] content = readAll(file, what);
        try {
            if (content.length == 0 || content[0] != SEALED_FORMAT) {
                char[] clear = firstLine(content);
                try {
                    if (clear.length == 0) {
                        throw new IllegalStateException("the " + what + " file " + file + " is empty");
                    }
                    writeSealed(file, vault.sealChars(purpose, clear), what);
                    LOG.warn("The {} file {} was in clear text: it is now sealed with the master key ({}). Copies or"
                            + " backups of the old file still hold it.", what, file, vault.keySource());
                    return clear.clone();
                } finally {
                    Arrays.fill(clear, '\0');
                }
            }
            try {
                return vault.openChars(purpose, content);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the " + what + " file " + file + " cannot be opened with this master"
                        + " key (" + e.getMessage() + "): write the " + what + " again in clear on its first line");
            }
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private static char[] firstLine(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip().toCharArray();
    }

    private static byte[] readAll(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("the " + what + " file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void writeSealed(Path file, byte[] sealed, String what) {
        Path tmp = file.resolveSibling(file.getFileName() + ".sealing");
        try {
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            }
            Files.write(tmp, sealed, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot seal the " + what + " file " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(sealed, (byte) 0);
        }
    }
}
