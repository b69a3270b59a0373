package io.cachet.ca.internal;

/**
 * A request for a qualified e-seal certificate. The subject comes from the verified identity of the
 * organisation, not from the CSR, whose only role is to carry the public key and prove its possession.
 *
 * @param csrPem PKCS#10 request, PEM
 * @param profile {@code qscd} (key on a QSCD) or {@code cloud}
 * @param commonName e.g. the seal's name
 * @param organization organizationName
 * @param organizationIdentifier e.g. {@code NTRFR-123456789}
 * @param country two letters
 * @param years requested validity in years, clamped to the issuing CA's notAfter
 */
public record SealRequest(String csrPem, String profile, String commonName, String organization,
        String organizationIdentifier, String country, int years) {

    /** The CA core's request for an API request. */
    public static SealRequest of(io.cachet.api.ca.SealCertificateRequest request) {
        io.cachet.api.ca.SealCertificateRequest.Organisation org = request.organisation();
        return new SealRequest(request.csrPem(),
                request.profile() == io.cachet.api.ca.SealCertificateRequest.Profile.QSCD ? "qscd" : "cloud",
                request.commonName(), org.name(), org.identifier(), org.country(), request.validityYears());
    }
}
