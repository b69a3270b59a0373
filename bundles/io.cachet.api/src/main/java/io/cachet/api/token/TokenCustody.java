package io.cachet.api.token;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.cachet.api.security.SecretFiles;
import io.cachet.api.security.SecretVault;

/**
 * A token whose PINs the server keeps in files: the user PIN in a PIN file, the SO PIN beside it in
 * {@code <PIN file>.so}. The token is found by its label; when none has it, a blank token of the driver is initialised
 * with random PINs (the CA token and the root token at the key ceremony, the cloud key token at the first cloud key).
 *
 * <p>Safe against a crash at any point of that initialisation: the PINs are written, forced to the disk, under
 * {@value #PENDING} names before the token is made (a token whose PIN is lost is lost) and renamed once it is. So the
 * next start finds either pending files without their token (the process died before the token was made: they are
 * dropped and the token made again), or the token with pending files (they are renamed and the token opened), never a
 * PIN file naming a token that was not made. A PIN file under its own name without its token still means a token that
 * is gone, and is refused rather than overwritten.
 *
 * <p>Lives in the API so that every module keeping a token's PINs does it the same way. Stateless; thread-safe.
 */
public final class TokenCustody {
    /** The suffix of a PIN file written before its token is made, renamed once the token is. */
    public static final String PENDING = ".pending";
    /** The suffix of the SO PIN's file, next to the user PIN's. */
    public static final String SO = ".so";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenCustody() {
    }

    /** How a PIN is kept in its file. */
    public interface PinFormat {
        /** The file's content for {@code pin} (the SO PIN when {@code so}); the caller wipes it. */
        byte[] encode(char[] pin, boolean so);

        /** The PIN in {@code content}, read from a file; the caller wipes both. */
        char[] decode(byte[] content, boolean so) throws IOException, GeneralSecurityException;
    }

    /** PINs sealed with the master key ({@link SecretVault}), each under its own purpose. */
    public static PinFormat sealed(SecretVault vault, String pinPurpose, String soPinPurpose) {
        Objects.requireNonNull(vault, "vault");
        return new PinFormat() {
            @Override
            public byte[] encode(char[] pin, boolean so) {
                return vault.sealChars(so ? soPinPurpose : pinPurpose, pin);
            }

            @Override
            public char[] decode(byte[] content, boolean so) throws GeneralSecurityException {
                return vault.openChars(so ? soPinPurpose : pinPurpose, content);
            }
        };
    }

    /** PINs in clear text, on the file's first line ({@link SecretFiles#firstLine}): for an operator to take away. */
    public static PinFormat clear() {
        return new PinFormat() {
            @Override
            public byte[] encode(char[] pin, boolean so) {
                char[] line = Arrays.copyOf(pin, pin.length + 1);
                line[pin.length] = '\n';
                ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(line));
                try {
                    byte[] text = new byte[bytes.remaining()];
                    bytes.get(text);
                    return text;
                } finally {
                    Arrays.fill(line, '\0');
                    Arrays.fill(bytes.array(), (byte) 0);
                }
            }

            @Override
            public char[] decode(byte[] content, boolean so) throws IOException {
                return SecretFiles.firstLine(content);
            }
        };
    }

    /** What {@link #open} found and did. */
    public enum Outcome {
        /** The token was there with its PIN file. */
        OPENED,
        /** The token was there with only pending PIN files (a crash just after it was made): they were renamed. */
        FINISHED,
        /** No token had the label: a blank one was initialised with new PINs. */
        INITIALISED
    }

    /** The token logged in to, its serial, and what {@link #open} did. */
    public record Opened(Token token, String serial, Outcome outcome) {
    }

    /** The initialised token labelled {@code label} among {@code tokens}, if any. */
    public static Optional<TokenInfo> labelled(List<TokenInfo> tokens, String label) {
        return tokens.stream().filter(t -> t.has(TokenInfo.Flag.INITIALIZED) && label.equals(t.label())).findFirst();
    }

    /**
     * Logs in to the token labelled {@code label} with the user PIN in {@code pinFile}; when no token has that label
     * and {@code initialise} allows it, first initialises a blank token of {@code driver} with random PINs kept as
     * described above.
     *
     * @param what the token as a person reads it in a message, e.g. {@code "the CA token"}
     * @throws IllegalStateException naming what the operator must do: no such token (and no initialisation allowed),
     *         a PIN file whose token is gone, no blank token, a PIN file that cannot be read or written
     * @throws TokenException as the driver reports it (a wrong PIN with tries left, a locked token)
     */
    public static Opened open(TokenDriver driver, String label, Path pinFile, PinFormat format, boolean initialise,
            String what) {
        List<TokenInfo> tokens = driver.tokens();
        Optional<TokenInfo> existing = labelled(tokens, label);
        Path soFile = Path.of(pinFile + SO);
        Path pending = Path.of(pinFile + PENDING);
        Path soPending = Path.of(soFile + PENDING);
        if (existing.isPresent()) {
            if (!Files.exists(pinFile) && Files.exists(pending)) {
                // the process died after the token was made, before its PIN files were renamed: rename them now
                Token t = login(driver, existing.get(), pending, format, what);
                rename(soPending, soFile);
                rename(pending, pinFile);
                return new Opened(t, existing.get().serial(), Outcome.FINISHED);
            }
            return new Opened(login(driver, existing.get(), pinFile, format, what), existing.get().serial(), Outcome.OPENED);
        }
        if (Files.exists(pinFile) || Files.exists(soFile)) {
            throw new IllegalStateException("no token labelled '" + label + "' on driver '" + driver.id()
                    + "' although its PIN file " + (Files.exists(pinFile) ? pinFile : soFile) + " exists: " + what
                    + " is missing; restore it or connect it (a new token would not hold its keys, so none is made)");
        }
        if (!initialise) {
            throw new IllegalStateException("no token labelled '" + label + "' on driver '" + driver.id() + "' for "
                    + what + "; connect it");
        }
        // pending PIN files without their token: the process died before the token was made, and nothing used them
        delete(pending);
        delete(soPending);
        TokenInfo blank = tokens.stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow(() -> new IllegalStateException("driver '" + driver.id() + "' offers no blank token to"
                        + " initialise " + what + " ('" + label + "')"));
        char[] userPin = randomPin();
        char[] soPin = randomPin();
        try {
            // the user PIN file's own name says "the token exists", so it is the last name given
            write(pending, format.encode(userPin, false));
            write(soPending, format.encode(soPin, true));
            TokenInfo made;
            try {
                made = driver.initialize(blank.slotId(), soPin, userPin, label, PinPolicy.TOKEN_DEFAULT);
            } catch (RuntimeException e) {
                delete(pending);
                delete(soPending);
                throw e;
            }
            rename(soPending, soFile);
            rename(pending, pinFile);
            return new Opened(driver.login(made.serial(), userPin), made.serial(), Outcome.INITIALISED);
        } finally {
            Arrays.fill(userPin, '\0');
            Arrays.fill(soPin, '\0');
        }
    }

    private static Token login(TokenDriver driver, TokenInfo token, Path file, PinFormat format, String what) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("the PIN file " + file + " of " + what + " is missing or unreadable;"
                    + " restore it", e);
        }
        char[] pin;
        try {
            pin = format.decode(content, false);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the PIN file " + file + " of " + what + " cannot be read: "
                    + e.getMessage(), e);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        try {
            return driver.login(token.serial(), pin);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private static void write(Path file, byte[] content) {
        try {
            SecretFiles.writeNew(file, content);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(file + " already exists; it would be overwritten", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private static void rename(Path from, Path to) {
        if (!Files.exists(from)) {
            return; // renamed before the process died
        }
        try {
            SecretFiles.rename(from, to);
        } catch (IOException e) {
            throw new IllegalStateException("cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    private static char[] randomPin() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        char[] pin = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
        Arrays.fill(bytes, (byte) 0);
        return pin;
    }
}
