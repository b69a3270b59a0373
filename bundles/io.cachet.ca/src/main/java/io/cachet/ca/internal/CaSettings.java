package io.cachet.ca.internal;

import java.util.Objects;

import io.cachet.api.token.KeyAlgorithm;

/**
 * What the key ceremony needs: key algorithm, names, validities and the token aliases.
 *
 * @param keyAlgorithm key algorithm of all four CA keys (EC P-256 by default, RSA 3072 supported)
 * @param organization organizationName of the CA certificates
 * @param organizationIdentifier 2.5.4.97 of the provider, e.g. {@code NTRFR-123456789}
 * @param country two-letter country code
 * @param rootCommonName e.g. {@code Cachet Root CA}
 * @param issuingCommonName e.g. {@code Cachet Qualified Seal CA}
 * @param rootYears validity of the root
 * @param issuingYears validity of the issuing CA
 * @param serviceYears validity of the OCSP signer and TSA certificates
 * @param aliasPrefix prefix of the key aliases on the token ({@code <prefix>root}, {@code issuing}, {@code ocsp},
 *        {@code tsa})
 */
public record CaSettings(KeyAlgorithm keyAlgorithm, String organization, String organizationIdentifier,
        String country, String rootCommonName, String issuingCommonName, int rootYears, int issuingYears,
        int serviceYears, String aliasPrefix) {

    public CaSettings {
        Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        Names.requireOrganizationIdentifier(organizationIdentifier, "organizationIdentifier");
        Names.requireCountry(country, "country");
        Names.requireText(organization, "organization");
        Names.requireText(rootCommonName, "rootCommonName");
        // the OCSP signer and the TSA are named after the issuing CA with " OCSP" and " TSA": all within 64
        Names.requireText(issuingCommonName, "issuingCommonName", Names.MAX_LENGTH - " OCSP".length());
        if (rootYears < 1 || issuingYears < 1 || serviceYears < 1 || issuingYears > rootYears
                || serviceYears > issuingYears) {
            throw new CaException("validities must be >= 1 year and root >= issuing >= services");
        }
        aliasPrefix = aliasPrefix == null ? "" : aliasPrefix;
    }

    /** EC P-256, root 20 years, issuing CA 10, OCSP/TSA 5. */
    public static CaSettings defaults(String organization, String organizationIdentifier, String country) {
        return new CaSettings(KeyAlgorithm.EC_P256, organization, organizationIdentifier, country, "Cachet Root CA",
                "Cachet Qualified Seal CA", 20, 10, 5, "ca-");
    }

    public CaSettings withKeyAlgorithm(KeyAlgorithm algorithm) {
        return new CaSettings(algorithm, organization, organizationIdentifier, country, rootCommonName,
                issuingCommonName, rootYears, issuingYears, serviceYears, aliasPrefix);
    }
}
