package io.cachet.ca.internal;

import java.security.cert.X509Certificate;
import java.time.Duration;

import io.cachet.api.ca.OcspKey;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.TokenException;

/**
 * The delegated OCSP signer's key of a {@link CaHierarchy} (alias {@code <prefix>ocsp} on the CA token), as the CA
 * hands it to the OCSP responder: the signer's and the issuing CA's certificates, the validity of answers, and
 * signatures made on the token.
 */
final class CaOcspKey implements OcspKey {
    private final CaHierarchy ca;
    private final Duration validity;

    CaOcspKey(CaHierarchy ca, Duration validity) {
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new CaException("the OCSP validity must be positive");
        }
        this.ca = ca;
        this.validity = validity;
    }

    @Override
    public X509Certificate certificate() {
        return ca.ocsp();
    }

    @Override
    public X509Certificate issuer() {
        return ca.issuing();
    }

    @Override
    public Duration validity() {
        return validity;
    }

    @Override
    public SignatureAlgorithm algorithm() {
        return ca.signatureAlgorithm();
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            return ca.token().sign(ca.settings().aliasPrefix() + "ocsp", algorithm(), data);
        } catch (TokenException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the OCSP signer key cannot be used now ("
                    + e.reason() + "): " + e.getMessage(), e);
        }
    }
}
