package io.cachet.ca.internal;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Principal;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

/**
 * A CRL that Cachet published, held as its DER encoding with its thisUpdate and nextUpdate; anything else is read
 * from the JDK's decoding of it, made at the first such call. Why not the JDK's {@code X509CRL} at once: what the
 * server does with the CRL it serves is send its bytes and read its nextUpdate, and the JDK decodes every entry into
 * a sorted map as it reads a CRL — 0.3 to 1.2 s for 100k entries here — which every new CRL and every start paid for
 * nothing. Equality and hash code are {@link X509CRL}'s (the encoding). Thread-safe.
 */
final class EncodedCrl extends X509CRL {

    private final byte[] der;
    private final Instant thisUpdate;
    private final Instant nextUpdate;
    private volatile X509CRL decoded;

    /**
     * @param der the CRL's DER encoding (kept, not copied)
     * @param thisUpdate its thisUpdate, as encoded
     * @param nextUpdate its nextUpdate, as encoded
     */
    EncodedCrl(byte[] der, Instant thisUpdate, Instant nextUpdate) {
        this.der = Objects.requireNonNull(der, "der");
        this.thisUpdate = Objects.requireNonNull(thisUpdate, "thisUpdate");
        this.nextUpdate = Objects.requireNonNull(nextUpdate, "nextUpdate");
    }

    private X509CRL decoded() {
        X509CRL d = decoded;
        if (d == null) {
            try {
                d = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
            } catch (CertificateException | CRLException e) {
                throw new IllegalStateException("a CRL Cachet made cannot be decoded: " + e.getMessage(), e);
            }
            decoded = d;
        }
        return d;
    }

    @Override
    public byte[] getEncoded() {
        return der.clone();
    }

    @Override
    public Date getThisUpdate() {
        return Date.from(thisUpdate);
    }

    @Override
    public Date getNextUpdate() {
        return Date.from(nextUpdate);
    }

    @Override
    public void verify(PublicKey key) throws CRLException, NoSuchAlgorithmException, InvalidKeyException,
            NoSuchProviderException, SignatureException {
        decoded().verify(key);
    }

    @Override
    public void verify(PublicKey key, String sigProvider) throws CRLException, NoSuchAlgorithmException,
            InvalidKeyException, NoSuchProviderException, SignatureException {
        decoded().verify(key, sigProvider);
    }

    @Override
    public void verify(PublicKey key, Provider sigProvider) throws CRLException, NoSuchAlgorithmException,
            InvalidKeyException, SignatureException {
        decoded().verify(key, sigProvider);
    }

    @Override
    public int getVersion() {
        return decoded().getVersion();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Principal getIssuerDN() {
        return decoded().getIssuerDN();
    }

    @Override
    public X500Principal getIssuerX500Principal() {
        return decoded().getIssuerX500Principal();
    }

    @Override
    public X509CRLEntry getRevokedCertificate(BigInteger serialNumber) {
        return decoded().getRevokedCertificate(serialNumber);
    }

    @Override
    public X509CRLEntry getRevokedCertificate(X509Certificate certificate) {
        return decoded().getRevokedCertificate(certificate);
    }

    @Override
    public Set<? extends X509CRLEntry> getRevokedCertificates() {
        return decoded().getRevokedCertificates();
    }

    @Override
    public byte[] getTBSCertList() throws CRLException {
        return decoded().getTBSCertList();
    }

    @Override
    public byte[] getSignature() {
        return decoded().getSignature();
    }

    @Override
    public String getSigAlgName() {
        return decoded().getSigAlgName();
    }

    @Override
    public String getSigAlgOID() {
        return decoded().getSigAlgOID();
    }

    @Override
    public byte[] getSigAlgParams() {
        return decoded().getSigAlgParams();
    }

    @Override
    public boolean isRevoked(Certificate cert) {
        return decoded().isRevoked(cert);
    }

    @Override
    public boolean hasUnsupportedCriticalExtension() {
        return decoded().hasUnsupportedCriticalExtension();
    }

    @Override
    public Set<String> getCriticalExtensionOIDs() {
        return decoded().getCriticalExtensionOIDs();
    }

    @Override
    public Set<String> getNonCriticalExtensionOIDs() {
        return decoded().getNonCriticalExtensionOIDs();
    }

    @Override
    public byte[] getExtensionValue(String oid) {
        return decoded().getExtensionValue(oid);
    }

    @Override
    public String toString() {
        return decoded().toString();
    }
}
