package io.cachet.api.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * PIN and password files (the CA token's PIN file, {@code cachet-cli --pin-file}): the secret is the file's first
 * line, UTF-8, without its line end ({@code \n}, {@code \r\n} or {@code \r}); spaces are part of it. Read as
 * {@code char[]}, never as a {@link String} (a String cannot be wiped): every buffer the reading uses is wiped, and
 * the caller wipes the array it gets. Stateless; thread-safe.
 *
 * <p>Lives in the API so that every module reads and writes secret files the same way.
 */
public final class SecretFiles {

    private SecretFiles() {
    }

    /**
     * The first line of {@code file}.
     *
     * @return the secret, empty when the first line is; the caller wipes it
     * @throws java.nio.file.NoSuchFileException when there is no such file
     * @throws CharacterCodingException when the first line is not UTF-8
     * @throws IOException when the file cannot be read
     */
    public static char[] firstLine(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        try {
            return firstLine(content);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /**
     * The first line of {@code content} (a file read by the caller, e.g. to tell a sealed file from a clear one);
     * {@code content} is left as it is, for the caller to wipe.
     *
     * @return the secret, empty when the first line is; the caller wipes it
     * @throws CharacterCodingException when the first line is not UTF-8
     */
    public static char[] firstLine(byte[] content) throws CharacterCodingException {
        int end = 0;
        while (end < content.length && content[end] != '\n' && content[end] != '\r') {
            end++;
        }
        CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content, 0, end));
        try {
            char[] secret = new char[chars.remaining()];
            chars.get(secret);
            return secret;
        } finally {
            Arrays.fill(chars.array(), '\0');
        }
    }

    /**
     * Writes {@code content} to {@code file}, which must not exist yet, readable by its owner only (where the file
     * system has POSIX permissions), and forces it and its folder to the disk before returning, so that it survives a
     * crash; the folders above it are made.
     * {@code content} is left as it is, for the caller to wipe.
     *
     * @throws java.nio.file.FileAlreadyExistsException when the file exists (it is left alone)
     * @throws IOException when the file cannot be written
     */
    public static void writeNew(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        forceFolder(file);
    }

    /**
     * Renames {@code from} to {@code to} in one step (replacing {@code to} where it exists) and forces their folder
     * to the disk, so that after a crash either name is there, never neither, and the new one survives.
     *
     * @throws java.nio.file.AtomicMoveNotSupportedException when the two are on different file systems
     * @throws IOException when the rename fails
     */
    public static void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        forceFolder(to);
    }

    /** Forces the folder of {@code file} to the disk: a new name in it survives a crash only then. */
    private static void forceFolder(Path file) {
        try (FileChannel folder = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException e) {
            // not every system lets a folder be opened and forced (Windows); the file itself is written
        }
    }
}
