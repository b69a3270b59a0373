package io.cachet.api.signature;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Where a trusted list (ETSI TS 119 612, the XML format of the EU member states' lists of qualified trust service
 * providers) is, and who may sign it.
 *
 * @param location an {@code http}, {@code https} or {@code file} URL, or a file path
 * @param signingCertificates the certificates the list must be signed with (the scheme operator's, as announced in
 *        the Official Journal or the list of trusted lists); a list signed by anyone else gives no trust
 */
public record TrustedListSource(String location, List<X509Certificate> signingCertificates) {

    public TrustedListSource {
        Objects.requireNonNull(location, "location");
        if (location.isBlank()) {
            throw new SignatureException(SignatureException.Reason.INVALID_OPTIONS, "a trusted list location is empty");
        }
        signingCertificates = signingCertificates == null ? List.of() : List.copyOf(signingCertificates);
    }
}
