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

    /**
     * Augments the signatures of the signed PAdES file {@code input} to {@code options.level()} without signing
     * again, and writes the result to {@code output} (incrementally: every existing signature stays valid). LT adds
     * the validation data (certificates, OCSP answers, CRLs) of the signatures and their time-stamps; LTA adds them
     * and a document (archive) time-stamp, and applied to a file already at LTA it adds a fresh archive
     * time-stamp over all of it, with the validation data of the previous one. Levels T and above need
     * {@link SignOptions#tsaUrl()}; {@link SignOptions#trustAnchors()} are trusted to collect revocation data as in
     * {@link #sign}. Other options (visible signature, algorithm, certification) do not apply and are ignored.
     *
     * <p>{@code output} is written only when the extension succeeded; an existing file is replaced. The result's
     * {@code signingTime} is the time of the extension and its {@code signingCertificate} is {@code null} (no key
     * signed).
     *
     * @throws SignatureException {@code INVALID_OPTIONS} for a format other than PAdES, a level B, or an input
     *         without signatures; otherwise as {@link #sign}
     * @since 1.1
     */
    SignResult extend(Path input, Path output, SignOptions options);
}
