package io.cachet.ca.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.security.SecretFiles;
import io.cachet.api.security.SecretVault;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;

/**
 * Opens the CA's tokens.
 *
 * <p><b>The CA token</b> (issuing CA, OCSP signer, TSA) is the token labelled {@code label} on {@code driver}. Its
 * user PIN is kept in {@code pinFile} <em>sealed</em> with the {@link SecretVault} (purpose {@value #PIN_PURPOSE}),
 * so that the data directory without the master key does not open it. On the very first start, when no such token
 * exists and {@code create} is allowed, a blank token is initialised with random PINs, written sealed to
 * {@code pinFile} and {@code <pinFile>.so} (owner-only). A PIN file still in clear text (a data directory made
 * before the vault, or a PIN an operator wrote for an HSM) is sealed in place at start and the clear one is gone.
 *
 * <p><b>The root token</b> holds only the root key. It is made at the key ceremony on another blank token of the
 * same driver; its PINs are written once, in clear and owner-only, to {@code root-token.pin} and
 * {@code root-token.pin.so} for the operator to take offline, and are never read by the server: every later use
 * of the root (renewing the authority revocation list) is a ceremony where the operator types the PIN.
 */
public final class CaTokenCustody {
    private static final Logger LOG = LoggerFactory.getLogger(CaTokenCustody.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Vault purpose of the CA token's user PIN. */
    public static final String PIN_PURPOSE = "ca.token.pin";
    /** Vault purpose of the CA token's SO PIN. */
    public static final String SO_PIN_PURPOSE = "ca.token.so-pin";
    /** First byte of every blob the vault seals (its format version); never the first byte of a text PIN. */
    private static final byte SEALED_FORMAT = 1;

    private CaTokenCustody() {
    }

    /**
     * @throws CaException naming what the operator must do: a missing PIN file, no blank token, ...
     * @throws io.cachet.api.token.TokenException as the driver reports it (wrong PIN with tries left, locked)
     */
    public static Token open(TokenDriver driver, String label, Path pinFile, boolean create, SecretVault vault) {
        List<TokenInfo> tokens = driver.tokens();
        Optional<TokenInfo> existing = find(tokens, label);
        if (existing.isPresent()) {
            sealIfClear(Path.of(pinFile + ".so"), SO_PIN_PURPOSE, vault);
            char[] pin = readPin(pinFile, label, vault);
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
        TokenInfo blank = blank(tokens, driver, label);
        char[] userPin = randomPin();
        char[] soPin = randomPin();
        try {
            writeSealed(pinFile, vault.sealChars(PIN_PURPOSE, userPin), false);
            writeSealed(Path.of(pinFile + ".so"), vault.sealChars(SO_PIN_PURPOSE, soPin), false);
            TokenInfo made;
            try {
                made = driver.initialize(blank.slotId(), soPin, userPin, label, PinPolicy.TOKEN_DEFAULT);
            } catch (RuntimeException e) {
                // nothing was made: leave no PIN file that would claim a CA token exists
                deleteQuietly(pinFile);
                deleteQuietly(Path.of(pinFile + ".so"));
                throw e;
            }
            LOG.info("Initialised the CA token '{}' (serial {}) on driver '{}'; its PIN is sealed with the master key"
                    + " in {}, its SO PIN in {}.so", label, made.serial(), driver.id(), pinFile, pinFile);
            return driver.login(made.serial(), userPin);
        } finally {
            Arrays.fill(userPin, '\0');
            Arrays.fill(soPin, '\0');
        }
    }

    /**
     * The key ceremony's root token: initialises a blank token of {@code driver} labelled {@code label} with random
     * PINs, writes them once in clear to {@code pinFile} and {@code <pinFile>.so} (owner-only, refused if either
     * exists) for the operator to take offline, and logs in.
     *
     * @throws CaException when a token with that label already exists (an interrupted ceremony) or no blank token
     *         is left
     */
    public static Token initialiseRoot(TokenDriver driver, String label, Path pinFile) {
        List<TokenInfo> tokens = driver.tokens();
        if (find(tokens, label).isPresent()) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "a token labelled '" + label + "' already exists on"
                    + " driver '" + driver.id() + "' but the CA token holds no CA (an interrupted ceremony?);"
                    + " re-initialise or remove it, or set another rootTokenLabel");
        }
        Path soFile = Path.of(pinFile + ".so");
        if (Files.exists(pinFile) || Files.exists(soFile)) {
            throw new CaException(CaException.Kind.UNAVAILABLE, pinFile + " or " + soFile + " already exists: they"
                    + " would be overwritten; move them away before the key ceremony");
        }
        TokenInfo blank = blank(tokens, driver, label);
        char[] userPin = randomPin();
        char[] soPin = randomPin();
        try {
            writeClear(pinFile, userPin);
            writeClear(soFile, soPin);
            TokenInfo made;
            try {
                made = driver.initialize(blank.slotId(), soPin, userPin, label, PinPolicy.TOKEN_DEFAULT);
            } catch (RuntimeException e) {
                deleteQuietly(pinFile);
                deleteQuietly(soFile);
                throw e;
            }
            LOG.warn("ROOT TOKEN '{}' (serial {}) initialised on driver '{}'. Its PIN is in {} and its SO PIN in {}:"
                    + " Cachet never reads them again. Copy them offline NOW (paper in a safe, or an encrypted medium"
                    + " kept apart) and delete both files; renewing the root's revocation list asks for the PIN"
                    + " (cachet-cli ca renew-arl).", label, made.serial(), driver.id(), pinFile, soFile);
            return driver.login(made.serial(), userPin);
        } finally {
            Arrays.fill(userPin, '\0');
            Arrays.fill(soPin, '\0');
        }
    }

    /**
     * Logs in to the root token with a PIN the operator supplied for this one ceremony.
     *
     * @throws CaException {@code UNAVAILABLE} when the token is not connected, {@code INVALID_REQUEST} for a wrong
     *         PIN (with the tries left where the token tells) or a locked one
     */
    public static Token loginRoot(TokenDriver driver, String label, char[] pin) {
        TokenInfo root = find(driver.tokens(), label).orElseThrow(() -> new CaException(CaException.Kind.UNAVAILABLE,
                "the root token '" + label + "' is not connected to driver '" + driver.id() + "'; connect it and"
                        + " try again"));
        try {
            return driver.login(root.serial(), pin);
        } catch (TokenException e) {
            switch (e.reason()) {
            case WRONG_PIN, PIN_INVALID, PIN_LOCKED -> throw new CaException("the root token refused the PIN ("
                    + e.reason() + (e.triesLeft().isPresent() ? ", " + e.triesLeft().getAsInt() + " tries left" : "")
                    + ")", e);
            default -> throw new CaException(CaException.Kind.UNAVAILABLE, "the root token cannot be used now ("
                    + e.reason() + "): " + e.getMessage(), e);
            }
        }
    }

    private static Optional<TokenInfo> find(List<TokenInfo> tokens, String label) {
        return tokens.stream().filter(t -> t.has(TokenInfo.Flag.INITIALIZED) && label.equals(t.label())).findFirst();
    }

    private static TokenInfo blank(List<TokenInfo> tokens, TokenDriver driver, String label) {
        return tokens.stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow(() -> new CaException(CaException.Kind.UNAVAILABLE, "driver '" + driver.id()
                        + "' offers no blank token to initialise the token '" + label + "'"));
    }

    /**
     * The user PIN in {@code pinFile}: sealed by the vault, or in clear text (first line), which is then sealed in
     * place so that it is read from the clear file only this once.
     */
    static char[] readPin(Path pinFile, String label, SecretVault vault) {
        if (!Files.isReadable(pinFile)) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the PIN file " + pinFile + " of the CA token '"
                    + label + "' is missing or unreadable; restore it (or write the user PIN on its first line:"
                    + " Cachet seals it at start)");
        }
        sealIfClear(pinFile, PIN_PURPOSE, vault);
        byte[] sealed = read(pinFile);
        try {
            return vault.openChars(PIN_PURPOSE, sealed);
        } catch (GeneralSecurityException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the PIN file " + pinFile + " cannot be opened: "
                    + e.getMessage(), e);
        } finally {
            Arrays.fill(sealed, (byte) 0);
        }
    }

    /** Seals a clear-text PIN file in place (atomically replaced); leaves sealed and absent files alone. */
    static void sealIfClear(Path pinFile, String purpose, SecretVault vault) {
        if (!Files.isRegularFile(pinFile)) {
            return;
        }
        byte[] content = read(pinFile);
        char[] pin = null;
        try {
            if (content.length > 0 && content[0] == SEALED_FORMAT) {
                return;
            }
            pin = SecretFiles.firstLine(content);
            if (pin.length == 0) {
                throw new CaException(CaException.Kind.UNAVAILABLE, "the PIN file " + pinFile + " is empty");
            }
            writeSealed(pinFile, vault.sealChars(purpose, pin), true);
            LOG.warn("The PIN file {} was in clear text: it is now sealed with the master key ({}) and the clear"
                    + " file is replaced. Backups or copies of the old file still hold the PIN.", pinFile,
                    vault.keySource());
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the PIN file " + pinFile + " is not UTF-8 text");
        } finally {
            Arrays.fill(content, (byte) 0);
            if (pin != null) {
                Arrays.fill(pin, '\0');
            }
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the PIN file " + file + " cannot be read: "
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

    /** Writes a sealed blob owner-only: a new file, or (replace) atomically over an existing one. */
    private static void writeSealed(Path file, byte[] sealed, boolean replace) {
        try {
            if (!replace) {
                createOwnerOnly(file);
                Files.write(file, sealed, StandardOpenOption.TRUNCATE_EXISTING);
                return;
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".sealing");
            Files.deleteIfExists(tmp);
            createOwnerOnly(tmp);
            Files.write(tmp, sealed, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (FileAlreadyExistsException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, file + " already exists; it would be overwritten", e);
        } catch (IOException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(sealed, (byte) 0);
        }
    }

    private static void writeClear(Path file, char[] secret) {
        try {
            createOwnerOnly(file);
            Files.writeString(file, new String(secret) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, file + " already exists; it would be overwritten", e);
        } catch (IOException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }
}
