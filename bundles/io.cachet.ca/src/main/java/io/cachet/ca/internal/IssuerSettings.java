package io.cachet.ca.internal;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * Settings of qualified seal issuance.
 *
 * @param publicBaseUrl base of the public URLs, e.g. {@code https://ca.example.fr}: CRL at {@code {base}/pki/crl},
 *        OCSP at {@code {base}/ocsp}, issuing CA at {@code {base}/pki/issuing-ca.cer}
 * @param pdsUrl URL of the PKI disclosure statement (QcPDS)
 * @param pdsLanguage ISO 639-1 language of the PDS, e.g. {@code en}
 * @param providerPolicyOid the provider's own certificate policy OID
 * @param crlValidity time between thisUpdate and nextUpdate of a CRL
 */
public record IssuerSettings(String publicBaseUrl, String pdsUrl, String pdsLanguage, String providerPolicyOid,
        Duration crlValidity) {
    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");

    public IssuerSettings {
        publicBaseUrl = requireHttp(publicBaseUrl, "publicBaseUrl").replaceAll("/+$", "");
        requireHttp(pdsUrl, "pdsUrl");
        if (pdsLanguage == null || !pdsLanguage.matches("[a-z]{2}")) {
            throw new CaException("pdsLanguage must be a two-letter ISO 639-1 code");
        }
        if (providerPolicyOid == null || !OID.matcher(providerPolicyOid).matches()) {
            throw new CaException("providerPolicyOid is not an OID: " + providerPolicyOid);
        }
        if (crlValidity == null || crlValidity.isNegative() || crlValidity.isZero()) {
            throw new CaException("crlValidity must be positive");
        }
    }

    private static String requireHttp(String url, String what) {
        try {
            URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new CaException(what + " must be an http(s) URL");
            }
            return url;
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new CaException(what + " must be an http(s) URL", e);
        }
    }

    public String crlUrl() {
        return publicBaseUrl + "/pki/crl";
    }

    public String ocspUrl() {
        return publicBaseUrl + "/ocsp";
    }

    public String issuingCaUrl() {
        return publicBaseUrl + "/pki/issuing-ca.cer";
    }

    /**
     * Adds the CRL distribution point and the AIA (OCSP responder, issuing CA certificate) of this CA: where relying
     * parties find the revocation status of a certificate the issuing CA signs.
     */
    void addRevocationPointers(X509v3CertificateBuilder b) throws CertIOException {
        b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                new DistributionPoint(new DistributionPointName(new GeneralNames(uri(crlUrl()))), null, null) }));
        b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(new AccessDescription[] {
                new AccessDescription(X509ObjectIdentifiers.id_ad_ocsp, uri(ocspUrl())),
                new AccessDescription(X509ObjectIdentifiers.id_ad_caIssuers, uri(issuingCaUrl())) }));
    }

    private static GeneralName uri(String url) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, url);
    }

    /** Where the root publishes its authority revocation list (the CRL of its sub-CAs). */
    public String arlUrl() {
        return publicBaseUrl + "/pki/root.crl";
    }

    /** Where the root certificate is published (DER). */
    public String rootCaUrl() {
        return publicBaseUrl + "/pki/root-ca.cer";
    }

    /**
     * Adds to a sub-CA certificate the root's ARL as CRL distribution point and the root certificate as AIA
     * caIssuers: what a relying party that trusts only the root needs to check the sub-CA.
     */
    void addRootPointers(X509v3CertificateBuilder b) throws CertIOException {
        b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                new DistributionPoint(new DistributionPointName(new GeneralNames(uri(arlUrl()))), null, null) }));
        b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                new AccessDescription(X509ObjectIdentifiers.id_ad_caIssuers, uri(rootCaUrl()))));
    }
}
