package io.cachet.token.soft.launch;

import java.security.cert.X509Certificate;
import java.util.List;

import io.cachet.api.token.Token;

/**
 * A PKCS#12 key file opened as a read-only token: closing {@link #token()} drops the decrypted key.
 *
 * @param token the file as a token holding one key pair, with its certificate
 * @param alias the key's alias on that token
 * @param issuers the issuer certificates stored in the file with the key, nearest first (may be empty)
 */
public record KeyFile(Token token, String alias, List<X509Certificate> issuers) {

    public KeyFile {
        issuers = List.copyOf(issuers);
    }
}
