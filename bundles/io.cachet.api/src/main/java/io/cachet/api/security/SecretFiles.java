package io.cachet.api.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * PIN and password files (the CA token's PIN file, {@code cachet-cli --pin-file}): the secret is the file's first
 * line, UTF-8, without its line end ({@code \n}, {@code \r\n} or {@code \r}); spaces are part of it. Read as
 * {@code char[]}, never as a {@link String} (a String cannot be wiped): every buffer the reading uses is wiped, and
 * the caller wipes the array it gets. Stateless; thread-safe.
 *
 * <p>Lives in the API so that every module reads secret files the same way.
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
}
