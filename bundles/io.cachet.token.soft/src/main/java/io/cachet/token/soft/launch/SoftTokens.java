package io.cachet.token.soft.launch;

import java.nio.file.Path;

import io.cachet.api.token.TokenDriver;
import io.cachet.token.soft.internal.KeyFileToken;
import io.cachet.token.soft.internal.SoftTokenDriver;

/** Opens Cachet's software token driver, and PKCS#12 key files as tokens, outside OSGi. */
public final class SoftTokens {

    private SoftTokens() {
    }

    /**
     * The software token driver keeping its tokens in {@code directory} (created when missing), with
     * {@code slotCount} slots; a slot without a token plays the blank token to initialise.
     */
    public static TokenDriver driver(Path directory, int slotCount) {
        return new SoftTokenDriver(directory, slotCount);
    }

    /**
     * A customer's PKCS#12 key file ({@code .p12}, {@code .pfx}) as a read-only token, read the way the software
     * token reads its own files: a wrong password is told apart from a damaged file. Keys Cachet does not sign with
     * (RSA below 2048 bits, curves other than P-256 and P-384) are refused by name.
     *
     * @param password read, not kept: the caller wipes it
     * @param alias the key entry to use; {@code null} when the file holds exactly one key
     * @throws io.cachet.api.token.TokenException {@code NOT_FOUND} (no such file or alias), {@code WRONG_PIN},
     *         {@code UNSUPPORTED} (an unsupported key, no key or several), {@code DEVICE_ERROR} (not PKCS#12); each
     *         message names the file
     */
    public static KeyFile keyFile(Path file, char[] password, String alias) {
        KeyFileToken token = KeyFileToken.open(file, password, alias);
        return new KeyFile(token, token.alias(), token.issuers());
    }
}
