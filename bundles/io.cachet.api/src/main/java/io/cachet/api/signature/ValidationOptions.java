package io.cachet.api.signature;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * How to validate.
 *
 * @param trustAnchors trusted certificates (e.g. Cachet's root and issuing CA, its TSA); a signature whose chain
 *        ends elsewhere is {@link Verdict#INDETERMINATE}
 * @param online whether missing certificates and revocation data may be fetched (AIA, OCSP, CRL); off, only what
 *        the signature carries is used
 * @param pdfPassword the password of an encrypted PDF, {@code null} otherwise
 * @param trustedLists trusted lists whose services are trusted too, {@code null} for none
 */
public record ValidationOptions(List<X509Certificate> trustAnchors, boolean online, char[] pdfPassword,
        TrustedLists trustedLists) {

    public ValidationOptions {
        trustAnchors = trustAnchors == null ? List.of() : List.copyOf(trustAnchors);
    }

    /** Trusting {@code trustAnchors}, fetching what is missing online. */
    public static ValidationOptions trusting(List<X509Certificate> trustAnchors) {
        return new ValidationOptions(trustAnchors, true, null, null);
    }

    public ValidationOptions offline() {
        return new ValidationOptions(trustAnchors, false, pdfPassword, trustedLists);
    }

    public ValidationOptions withPdfPassword(char[] password) {
        return new ValidationOptions(trustAnchors, online, password, trustedLists);
    }

    /** Trusting the services of {@code lists} too (those whose signature is valid and which have not expired). */
    public ValidationOptions withTrustedLists(TrustedLists lists) {
        return new ValidationOptions(trustAnchors, online, pdfPassword, lists);
    }

    @Override
    public String toString() {
        return "ValidationOptions[trustAnchors=" + trustAnchors.size() + ", online=" + online + ", pdfPassword="
                + (pdfPassword == null ? "none" : "given") + ", trustedLists="
                + (trustedLists == null ? 0 : trustedLists.status().size()) + "]";
    }
}
