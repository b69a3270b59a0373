package io.cachet.token.soft.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.cachet.api.security.Digests;
import io.cachet.api.token.TokenException;

/**
 * The two files of the token in one slot: {@code token-<slot>.p12} and {@code token-<slot>.properties}. A slot
 * without a metadata file is blank. Every write goes to a temporary file in the same directory, is forced to
 * disk and moved over the old file atomically, so a reader sees the old or the new content, never a mix.
 *
 * <p>Not thread-safe: the driver holds the slot's lock around every use.
 */
final class TokenFiles {

    private final Path directory;
    private final Path keyStore;
    private final Path metadata;

    TokenFiles(Path directory, int slot) {
        this.directory = directory;
        this.keyStore = directory.resolve("token-" + slot + ".p12");
        this.metadata = directory.resolve("token-" + slot + ".properties");
    }

    Path keyStoreFile() {
        return keyStore;
    }

    Path metadataFile() {
        return metadata;
    }

    /** @return empty for a blank slot */
    Optional<TokenMetadata> readMetadata() {
        byte[] content;
        try {
            content = Files.readAllBytes(metadata);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new TokenException(TokenException.Reason.DEVICE_ERROR,
                    "Cannot read software token metadata " + metadata + ": " + e, e);
        }
        return Optional.of(TokenMetadata.decode(content, metadata));
    }

    void writeMetadata(TokenMetadata m) {
        write(metadata, m.encode());
    }

    /** @throws TokenException {@code DEVICE_ERROR} naming the file when it is missing, unreadable or not the one
     *         the metadata describes */
    byte[] readKeyStore(TokenMetadata m) {
        byte[] content;
        try {
            content = Files.readAllBytes(keyStore);
        } catch (IOException e) {
            throw new TokenException(TokenException.Reason.DEVICE_ERROR,
                    "Cannot read software token file " + keyStore + ": " + e, e);
        }
        if (!m.keyStoreDigests().contains(digest(content))) {
            throw new TokenException(TokenException.Reason.DEVICE_ERROR, "Software token file " + keyStore
                    + " is corrupt or was replaced: it does not match " + metadata + "; restore both from a backup");
        }
        return content;
    }

    /**
     * Replaces the PKCS#12 file and then the metadata. The metadata first accepts both the old and the new file,
     * so a crash at any point leaves a token that opens (with the old content or the new).
     *
     * @param current metadata on disk, or null for a blank slot
     * @param next metadata to write with the new file (its digests are replaced)
     * @return {@code next} as written
     */
    TokenMetadata replaceKeyStore(TokenMetadata current, byte[] content, TokenMetadata next) {
        String digest = digest(content);
        if (current != null) {
            List<String> both = new ArrayList<>(current.keyStoreDigests());
            both.add(digest);
            writeMetadata(current.withKeyStoreDigests(both));
        }
        write(keyStore, content);
        TokenMetadata written = next.withKeyStoreDigests(List.of(digest));
        writeMetadata(written);
        return written;
    }

    static String digest(byte[] content) {
        return Base64.getEncoder().encodeToString(Digests.sha256(content));
    }

    private void write(Path target, byte[] content) {
        Path temp = null;
        try {
            createDirectory(directory);
            // created owner-only (0600) on POSIX file systems
            temp = Files.createTempFile(directory, target.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (AtomicMoveNotSupportedException e) {
            throw new TokenException(TokenException.Reason.DEVICE_ERROR, "The file system of " + directory
                    + " cannot replace files atomically; keep software tokens on a local file system", e);
        } catch (IOException e) {
            throw new TokenException(TokenException.Reason.DEVICE_ERROR,
                    "Cannot write software token file " + target + ": " + e, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write already failed with the reason that matters
                }
            }
        }
    }

    /** Creates the token directory owner-only where the file system has POSIX permissions. */
    static void createDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(directory);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }
}
