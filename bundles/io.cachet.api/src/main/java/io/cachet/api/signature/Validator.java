package io.cachet.api.signature;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Validates AdES signatures (PAdES, XAdES, CAdES, any level) with EU DSS's default policy. Thread-safe. */
@ProviderType
public interface Validator {

    /**
     * Validates every signature in {@code signedFile}.
     *
     * @param signedFile a signed PDF, an XML document with XAdES signatures, an XAdES or CAdES signature file
     * @param detachedContents the signed data of a detached signature; empty otherwise
     * @throws SignatureException when the file cannot be read as a signed document at all (unknown format,
     *         corrupt, encrypted PDF without its password, XML with a DOCTYPE); an invalid signature is a
     *         {@link Verdict#INVALID} result, not an exception
     */
    ValidationResult validate(Path signedFile, List<Path> detachedContents, ValidationOptions options);
}
