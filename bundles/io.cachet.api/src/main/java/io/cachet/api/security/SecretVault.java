package io.cachet.api.security;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Encrypts the secrets Cachet must keep at rest (token PIN files, the audit anchor key, database passwords)
 * under the deployment's <em>master key</em>, which lives outside the database and, in production, outside the
 * data directory (an environment variable, or a file on another mount). Whoever copies the data directory or
 * the database alone learns none of these secrets.
 *
 * <p>Each caller names a {@code purpose} (e.g. {@code ca.token.pin}); a separate key is derived for each, and
 * the purpose is bound to the ciphertext, so a blob sealed for one purpose never opens for another.
 * Sealed blobs are self-describing (a format version, a fresh nonce, an authentication tag): they can be
 * stored as they are. Thread-safe.
 */
@ProviderType
public interface SecretVault {

    /**
     * @param purpose non-empty, stable name of what is sealed; the same purpose must be given to {@link #open}
     * @param plaintext the secret; the caller keeps and wipes its array
     * @return the sealed blob (a new random nonce each time)
     */
    byte[] seal(String purpose, byte[] plaintext);

    /**
     * @return the secret sealed for {@code purpose}; the caller wipes it after use
     * @throws GeneralSecurityException when the blob was not sealed under this master key and purpose, or was
     *         altered (the message says which check failed, never any secret)
     */
    byte[] open(String purpose, byte[] sealed) throws GeneralSecurityException;

    /** Where the master key comes from, for an operator: e.g. {@code environment variable CACHET_MASTER_KEY}. */
    String keySource();

    /**
     * Whether the master key is kept in the data directory (the embedded default, which lets {@code java -jar}
     * start unattended). Then the data directory alone reveals every sealed secret: Cachet says so at every start
     * and in the operator view of {@code /health}.
     */
    boolean keptWithData();

    /** {@link #seal} for a secret held as characters (a PIN, a password), encoded as UTF-8. */
    default byte[] sealChars(String purpose, char[] secret) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            return seal(purpose, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }

    /** {@link #open} for a secret sealed with {@link #sealChars}; the caller wipes the returned array. */
    default char[] openChars(String purpose, byte[] sealed) throws GeneralSecurityException {
        byte[] bytes = open(purpose, sealed);
        CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        try {
            return Arrays.copyOfRange(decoded.array(), decoded.position(), decoded.limit());
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(decoded.array(), '\0');
        }
    }
}
