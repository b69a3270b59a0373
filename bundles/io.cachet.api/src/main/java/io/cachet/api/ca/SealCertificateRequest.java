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

        /**
         * THE rule for the organisation of a seal's subject, from what the order says about it: the identifier is
         * {@code VAT<CC>-<number>} when a VAT number is given (its own country prefix, if any, dropped; spaces,
         * dots and dashes removed), else {@code NTR<CC>-<registrationId>} (the national trade register number,
         * the SIREN in France, spaces removed); the name is the organisation's name, trimmed; the country is
         * {@code CC} in upper case.
         *
         * @param name the organisation's registered name
         * @param country ISO 3166 two-letter code
         * @param registrationId the national register number (SIREN for France); may be null when {@code vat} is given
         * @param vat the VAT number, with or without its country prefix; null or blank for none
         * @throws IllegalArgumentException when the name or country is missing or malformed, or neither a VAT
         *         number nor a registration number is given
         * @since 2.1
         */
        public static Organisation of(String name, String country, String registrationId, String vat) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("the organisation's name is missing");
            }
            if (country == null || !country.trim().matches("[A-Za-z]{2}")) {
                throw new IllegalArgumentException("the organisation's country must be a two-letter ISO 3166 code");
            }
            String cc = country.trim().toUpperCase(java.util.Locale.ROOT);
            String v = vat == null ? "" : vat.replaceAll("[\\s.\\-]", "").toUpperCase(java.util.Locale.ROOT);
            String id;
            if (!v.isEmpty()) {
                String prefix = "GR".equals(cc) ? "EL" : cc;
                if (v.startsWith(prefix) || v.startsWith(cc)) {
                    v = v.substring(2);
                }
                if (v.isEmpty()) {
                    throw new IllegalArgumentException("the VAT number has no digits after its country prefix");
                }
                id = "VAT" + cc + "-" + v;
            } else {
                String r = registrationId == null ? "" : registrationId.replaceAll("\\s", "");
                if (r.isEmpty()) {
                    throw new IllegalArgumentException(
                            "the organisation needs a VAT number or a national registration number");
                }
                id = "NTR" + cc + "-" + r;
            }
            return new Organisation(name.trim(), id, cc);
        }
    }
}
