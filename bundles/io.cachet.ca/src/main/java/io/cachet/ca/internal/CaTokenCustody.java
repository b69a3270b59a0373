package io.cachet.ca.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.security.SecretFiles;
import io.cachet.api.security.SecretVault;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCustody;
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
 * {@code pinFile} and {@code <pinFile>.so} (owner-only), safe against a crash meanwhile ({@link TokenCustody}). A
 * PIN file still in clear text (a data directory made before the vault, or a PIN an operator wrote for an HSM) is
 * sealed in place at start and the clear one is gone.
 *
 * <p><b>The root token</b> holds only the root key. It is made at the key ceremony on another blank token of the
 * same driver; its PINs are written once, in clear and owner-only, to {@code root-token.pin} and
 * {@code root-token.pin.so} for the operator to take offline. The server reads them only to finish a key ceremony
 * that a crash interrupted; every later use of the root (renewing the authority revocation list) is a ceremony where
 * the operator types the PIN.
 */
public final class CaTokenCustody {
    private static final Logger LOG = LoggerFactory.getLogger(CaTokenCustody.class);

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
        if (!create && TokenCustody.labelled(driver.tokens(), label).isEmpty()) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "no token labelled '" + label + "' on driver '"
                    + driver.id() + "'; connect it, or allow the key ceremony to initialise a blank token");
        }
        sealIfClear(pinFile, PIN_PURPOSE, vault);
        sealIfClear(Path.of(pinFile + TokenCustody.SO), SO_PIN_PURPOSE, vault);
        TokenCustody.Opened opened = custody(() -> TokenCustody.open(driver, label, pinFile,
                TokenCustody.sealed(vault, PIN_PURPOSE, SO_PIN_PURPOSE), create, "the CA token"));
        switch (opened.outcome()) {
        case INITIALISED -> LOG.info("Initialised the CA token '{}' (serial {}) on driver '{}'; its PIN is sealed"
                + " with the master key in {}, its SO PIN in {}.so", label, opened.serial(), driver.id(), pinFile,
                pinFile);
        case FINISHED -> LOG.info("Finished the interrupted initialisation of the CA token '{}': its PIN files are"
                + " {} and {}.so", label, pinFile, pinFile);
        case OPENED -> { }
        }
        return opened.token();
    }

    /**
     * The key ceremony's root token: initialises a blank token of {@code driver} labelled {@code label} with random
     * PINs, written in clear to {@code pinFile} and {@code <pinFile>.so} (owner-only, refused if either exists) for
     * the operator to take offline, and logs in. When the token is already there with those files (the same
     * ceremony, interrupted by a crash: the caller knows), logs in to it with the PIN of {@code pinFile}.
     *
     * @throws CaException when no blank token is left, the files would be overwritten, or they cannot be read
     */
    public static Token initialiseRoot(TokenDriver driver, String label, Path pinFile) {
        TokenCustody.Opened opened = custody(() -> TokenCustody.open(driver, label, pinFile, TokenCustody.clear(),
                true, "the root token"));
        switch (opened.outcome()) {
        case INITIALISED -> LOG.warn("ROOT TOKEN '{}' (serial {}) initialised on driver '{}'. Its PIN is in {} and"
                + " its SO PIN in {}.so: Cachet reads them again only to finish this key ceremony if it is"
                + " interrupted. Copy them offline NOW (paper in a safe, or an encrypted medium kept apart) and"
                + " delete both files once the CA is ready; renewing the root's revocation list asks for the PIN"
                + " (cachet-cli ca renew-arl).", label, opened.serial(), driver.id(), pinFile, pinFile);
        case OPENED, FINISHED -> LOG.warn("The key ceremony was interrupted: it goes on with the root token '{}'"
                + " (serial {}) and the PIN in {}", label, opened.serial(), pinFile);
        }
        return opened.token();
    }

    private static TokenCustody.Opened custody(java.util.function.Supplier<TokenCustody.Opened> open) {
        try {
            return open.get();
        } catch (IllegalStateException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, e.getMessage(), e);
        }
    }

    /**
     * Logs in to the root token with a PIN the operator supplied for this one ceremony.
     *
     * @throws CaException {@code UNAVAILABLE} when the token is not connected, {@code INVALID_REQUEST} for a wrong
     *         PIN (with the tries left where the token tells) or a locked one
     */
    public static Token loginRoot(TokenDriver driver, String label, char[] pin) {
        TokenInfo root = TokenCustody.labelled(driver.tokens(), label).orElseThrow(() -> new CaException(CaException.Kind.UNAVAILABLE,
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
            replaceSealed(pinFile, vault.sealChars(purpose, pin));
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

    /** Replaces {@code file} with {@code sealed} in one step (owner-only, forced to the disk), and wipes it. */
    private static void replaceSealed(Path file, byte[] sealed) {
        Path tmp = file.resolveSibling(file.getFileName() + ".sealing");
        try {
            Files.deleteIfExists(tmp);
            SecretFiles.writeNew(tmp, sealed);
            SecretFiles.rename(tmp, file);
        } catch (IOException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(sealed, (byte) 0);
        }
    }
}
