package io.cachet.api.ca;

import java.util.Objects;

/**
 * What a qualified e-seal certificate is issued from. The subject comes from the verified identity of the
 * organisation, not from the CSR, whose only role is to carry the public key and prove its possession.
 *
 * @param csrPem PKCS#10 certification request, PEM
 * @param profile where the key lives, which decides the QC statements and policy
 * @param commonName the seal's name (1 to 64 characters)
 * @param organisation the subject organisation
 * @param validityYears ordered validity, clamped to the issuing CA's own end of validity
 */
public record SealCertificateRequest(String csrPem, Profile profile, String commonName, Organisation organisation,
        int validityYears) {

    public SealCertificateRequest {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(organisation, "organisation");
    }

    /** Where the subject's private key is kept. */
    public enum Profile {
        /** On a qualified signature creation device (a token): QcSSCD and policy QCP-l-qscd. */
        QSCD,
        /** In the provider's cloud HSM on the holder's behalf: policy QCP-l. */
        CLOUD
    }

    /**
     * @param name organizationName
     * @param identifier organizationIdentifier per ETSI EN 319 412-1, e.g. {@code NTRFR-123456789}
     * @param country ISO 3166 two-letter code
     */
    public record Organisation(String name, String identifier, String country) {
    }
}
