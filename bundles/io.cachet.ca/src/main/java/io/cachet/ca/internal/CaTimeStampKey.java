package io.cachet.ca.internal;

import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

import io.cachet.api.ca.TimeStampKey;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.TokenException;

/**
 * The time-stamping unit's key of a {@link CaHierarchy} (alias {@code <prefix>tsa} on the CA token), as the CA hands
 * it to the TSA: the certificate, its chain, the TSA policy, and signatures made on the token.
 */
final class CaTimeStampKey implements TimeStampKey {
    private final CaHierarchy ca;
    private final String policyOid;

    CaTimeStampKey(CaHierarchy ca, String policyOid) {
        try {
            this.policyOid = new ASN1ObjectIdentifier(policyOid).getId();
        } catch (RuntimeException e) {
            throw new CaException("TSA policy is not an OID: " + policyOid, e);
        }
        this.ca = ca;
    }

    @Override
    public X509Certificate certificate() {
        return ca.tsa();
    }

    @Override
    public List<X509Certificate> chain() {
        return List.of(ca.issuing(), ca.root());
    }

    @Override
    public String policyOid() {
        return policyOid;
    }

    @Override
    public SignatureAlgorithm algorithm() {
        return ca.signatureAlgorithm();
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            return ca.token().sign(ca.settings().aliasPrefix() + "tsa", algorithm(), data);
        } catch (TokenException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the TSA key cannot be used now (" + e.reason()
                    + "): " + e.getMessage(), e);
        }
    }
}
