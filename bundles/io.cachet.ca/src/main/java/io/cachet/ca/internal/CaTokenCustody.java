package io.cachet.ca.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;

/**
 * Opens the CA's token: the token labelled {@code label} on {@code driver}, with the user PIN read from
 * {@code pinFile}. On the very first start, when no such token exists and {@code create} is allowed, a blank
 * token is initialised with random PINs, written to {@code pinFile} and {@code <pinFile>.so} (owner-only).
 *
 * <p>Keeping the CA PIN in a file is what lets a single machine start unattended with the software token; a
 * production CA keeps its keys in an HSM and its PIN file on a protected mount, and moves the SO PIN offline.
 */
public final class CaTokenCustody {
    private static final Logger LOG = LoggerFactory.getLogger(CaTokenCustody.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private CaTokenCustody() {
    }

    /**
     * @throws CaException naming what the operator must do: a missing PIN file, no blank token, ...
     * @throws io.cachet.api.token.TokenException as the driver reports it (wrong PIN with tries left, locked)
     */
    public static Token open(TokenDriver driver, String label, Path pinFile, boolean create) {
        List<TokenInfo> tokens = driver.tokens();
        Optional<TokenInfo> existing = tokens.stream()
                .filter(t -> t.has(TokenInfo.Flag.INITIALIZED) && label.equals(t.label())).findFirst();
        if (existing.isPresent()) {
            char[] pin = readPin(pinFile, label);
            try {
                return driver.login(existing.get().serial(), pin);
            } finally {
                Arrays.fill(pin, '\0');
            }
        }
        if (!create) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "no token labelled '" + label + "' on driver '"
                    + driver.id() + "'; connect it, or allow the key ceremony to initialise a blank token");
        }
        if (Files.exists(pinFile)) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "no token labelled '" + label + "' on driver '"
                    + driver.id() + "' although its PIN file " + pinFile + " exists: the CA token is missing;"
                    + " restore it rather than making a new CA");
        }
        TokenInfo blank = tokens.stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow(() -> new CaException(CaException.Kind.UNAVAILABLE, "driver '" + driver.id()
                        + "' offers no blank token to initialise the CA token '" + label + "'"));
        char[] userPin = randomPin();
        char[] soPin = randomPin();
        try {
            writeSecret(pinFile, userPin);
            writeSecret(Path.of(pinFile + ".so"), soPin);
            TokenInfo made;
            try {
                made = driver.initialize(blank.slotId(), soPin, userPin, label, PinPolicy.TOKEN_DEFAULT);
            } catch (RuntimeException e) {
                // nothing was made: leave no PIN file that would claim a CA token exists
                deleteQuietly(pinFile);
                deleteQuietly(Path.of(pinFile + ".so"));
                throw e;
            }
            LOG.info("Initialised the CA token '{}' (serial {}) on driver '{}'; its PIN is in {}, its SO PIN in {}.so"
                    + " (move the SO PIN offline)", label, made.serial(), driver.id(), pinFile, pinFile);
            return driver.login(made.serial(), userPin);
        } finally {
            Arrays.fill(userPin, '\0');
            Arrays.fill(soPin, '\0');
        }
    }

    static char[] readPin(Path pinFile, String label) {
        if (!Files.isReadable(pinFile)) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the PIN file " + pinFile + " of the CA token '"
                    + label + "' is missing or unreadable; restore it (one line: the user PIN)");
        }
        try {
            String text = Files.readString(pinFile, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String pin = (end < 0 ? text : text.substring(0, end)).strip();
            if (pin.isEmpty()) {
                throw new CaException(CaException.Kind.UNAVAILABLE, "the PIN file " + pinFile + " is empty");
            }
            return pin.toCharArray();
        } catch (IOException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the PIN file " + pinFile + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", file, e.getMessage());
        }
    }

    private static char[] randomPin() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        char[] pin = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
        Arrays.fill(bytes, (byte) 0);
        return pin;
    }

    private static void writeSecret(Path file, char[] secret) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, new String(secret) + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, file + " already exists; it would be overwritten", e);
        } catch (IOException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
