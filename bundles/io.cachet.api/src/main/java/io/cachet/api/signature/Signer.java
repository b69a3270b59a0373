package io.cachet.api.signature;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/** Makes AdES signatures with a {@link SigningKey}. Thread-safe. */
@ProviderType
public interface Signer {

    /**
     * Signs {@code input} and writes the result to {@code output}: the signed PDF (PAdES), the signed XML document
     * (XAdES enveloped), the signature with the data (XAdES enveloping, CAdES .p7m) or the signature alone (XAdES
     * or CAdES detached). Before signing, the signing certificate must be valid now and, unless
     * {@link SignOptions#checkRevocation()} is off, not revoked. Detached signatures read the input as a stream:
     * memory does not grow with its size.
     *
     * <p>{@code output} is written only when signing succeeded (through a temporary file in the same directory);
     * an existing file is replaced.
     *
     * @throws SignatureException with a one-line message for every refusal and failure
     */
    SignResult sign(Path input, Path output, SigningKey key, SignOptions options);
}
