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
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * Settings of qualified seal issuance.
 *
 * @param publicBaseUrl base of the public URLs, e.g. {@code http://ca.example.fr}: CRL at {@code {base}/pki/crl},
 *        OCSP at {@code {base}/ocsp}, issuing CA at {@code {base}/pki/issuing-ca.cer}. Plain {@code http}: EN 319
 *        412-2 GEN-4.3.11-4 wants the CRL distribution point over http (or ldap), and RFC 5280 §4.2.1.13/§4.2.2.1
 *        warn against https there (a relying party would need the status of the TLS certificate to get the
 *        status it asked for); CRLs, OCSP responses and certificates are signed.
 * @param pdsUrl URL of the PKI disclosure statement (QcPDS): {@code https}, as EN 319 412-5 §4.3.4 wants it
 * @param pdsLanguage ISO 639-1 language of the PDS, e.g. {@code en}
 * @param providerPolicyOid the provider's own certificate policy OID
 * @param crlValidity time between thisUpdate and nextUpdate of a CRL
 * @param ocspValidity time between thisUpdate and nextUpdate of an OCSP response; no longer than
 *        {@code crlValidity}, so that an OCSP answer never promises more than the CRL made at the same moment
 * @param qscdKeyUsage KeyUsage bits of {@code qscd} seals ({@link KeyUsage#nonRepudiation} and/or
 *        {@link KeyUsage#digitalSignature})
 * @param cloudKeyUsage KeyUsage bits of {@code cloud} seals
 */
public record IssuerSettings(String publicBaseUrl, String pdsUrl, String pdsLanguage, String providerPolicyOid,
        Duration crlValidity, Duration ocspValidity, int qscdKeyUsage, int cloudKeyUsage) {
    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");
    /** The key usages a seal may carry: EN 319 412-2 §4.3.2 types A (preferred), B and C. */
    private static final int SEAL_USAGES = KeyUsage.nonRepudiation | KeyUsage.digitalSignature;

    public IssuerSettings {
        publicBaseUrl = requireUrl(publicBaseUrl, "publicBaseUrl", "http", "relying parties fetch the CRL, OCSP"
                + " answers and CA certificates over plain http (EN 319 412-2 GEN-4.3.11-4, RFC 5280); they are"
                + " signed, TLS adds nothing").replaceAll("/+$", "");
        requireUrl(pdsUrl, "pdsUrl", "https", "EN 319 412-5 wants the PKI disclosure statement over https");
        if (pdsLanguage == null || !pdsLanguage.matches("[a-z]{2}")) {
            throw new CaException("pdsLanguage must be a two-letter ISO 639-1 code");
        }
        if (providerPolicyOid == null || !OID.matcher(providerPolicyOid).matches()) {
            throw new CaException("providerPolicyOid is not an OID: " + providerPolicyOid);
        }
        if (crlValidity == null || crlValidity.isNegative() || crlValidity.isZero()) {
            throw new CaException("crlValidity must be positive");
        }
        if (ocspValidity == null || ocspValidity.isNegative() || ocspValidity.isZero()
                || ocspValidity.compareTo(crlValidity) > 0) {
            throw new CaException("the OCSP validity must be positive and no longer than the CRL validity ("
                    + crlValidity.toMinutes() + " minutes): an OCSP answer must not promise more than the CRL");
        }
        requireSealUsage(qscdKeyUsage, "qscdKeyUsage");
        requireSealUsage(cloudKeyUsage, "cloudKeyUsage");
    }

    /**
     * The defaults: OCSP answers valid for an hour (or the CRL validity if shorter), seals of both profiles with
     * keyUsage nonRepudiation only.
     */
    public IssuerSettings(String publicBaseUrl, String pdsUrl, String pdsLanguage, String providerPolicyOid,
            Duration crlValidity) {
        this(publicBaseUrl, pdsUrl, pdsLanguage, providerPolicyOid, crlValidity,
                crlValidity == null || crlValidity.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1)
                        : crlValidity,
                KeyUsage.nonRepudiation, KeyUsage.nonRepudiation);
    }

    /**
     * Parses a key usage setting: {@code nonRepudiation} (or its X.509 2019 name {@code contentCommitment}) and/or
     * {@code digitalSignature}, separated by commas or spaces.
     *
     * @param property the setting's name, for the error message
     */
    public static int keyUsage(String text, String property) {
        int bits = 0;
        for (String part : String.valueOf(text).trim().split("[,\\s]+")) {
            bits |= switch (part) {
            case "nonRepudiation", "contentCommitment" -> KeyUsage.nonRepudiation;
            case "digitalSignature" -> KeyUsage.digitalSignature;
            default -> throw new CaException(property + ": '" + (part.length() > 40 ? part.substring(0, 40) : part)
                    + "' is not a key usage of seals; use nonRepudiation, digitalSignature or both");
            };
        }
        return bits;
    }

    private static void requireSealUsage(int bits, String property) {
        if (bits == 0 || (bits & ~SEAL_USAGES) != 0) {
            throw new CaException(property + " must be nonRepudiation, digitalSignature or both");
        }
    }

    private static String requireUrl(String url, String what, String scheme, String why) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new CaException(what + " must be an " + scheme + ":// URL", e);
        }
        if (!scheme.equals(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new CaException(what + " must be an " + scheme + ":// URL with a host (no query or fragment): "
                    + why + "; got '" + (url.length() > 100 ? url.substring(0, 100) + "…" : url) + "'");
        }
        return url;
    }

    /** The key usage of a seal of {@code profile}. */
    int keyUsage(boolean qscd) {
        return qscd ? qscdKeyUsage : cloudKeyUsage;
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
