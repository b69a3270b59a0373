package io.cachet.tsa.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.security.Digests;

/**
 * Anchors the audit chain with RFC 3161 time-stamp tokens: the statement's SHA-256 is time-stamped by a TSA and
 * the token is the anchor. A token verifies when its imprint is the statement's hash, its signature is valid,
 * and its signer is a time-stamping certificate issued by one of the trusted CAs. Plain Java, so that the
 * offline {@code audit verify} command checks these anchors too.
 */
public final class Rfc3161AnchorSigner implements AuditAnchorSigner {
    public static final String SIGNER_ID = "rfc3161";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Function<byte[], byte[]> tsa;
    private final Supplier<List<X509Certificate>> trustedIssuers;

    /**
     * @param tsa sends a DER TimeStampReq and returns the DER TimeStampResp; {@code null} for a verifier only
     * @param trustedIssuers CA certificates allowed to have issued the TSA certificate
     */
    public Rfc3161AnchorSigner(Function<byte[], byte[]> tsa, Supplier<List<X509Certificate>> trustedIssuers) {
        this.tsa = tsa;
        this.trustedIssuers = Objects.requireNonNull(trustedIssuers, "trustedIssuers");
    }

    @Override
    public String id() {
        return SIGNER_ID;
    }

    @Override
    public byte[] sign(byte[] statement) {
        if (tsa == null) {
            throw new IllegalStateException("this RFC 3161 anchor signer only verifies");
        }
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request = generator.generate(NISTObjectIdentifiers.id_sha256, Digests.sha256(statement),
                new BigInteger(64, RANDOM));
        try {
            TimeStampResponse response = new TimeStampResponse(tsa.apply(request.getEncoded()));
            response.validate(request);
            TimeStampToken token = response.getTimeStampToken();
            if (token == null) {
                throw new IllegalStateException("the TSA refused the anchor: " + response.getStatusString());
            }
            return token.getEncoded();
        } catch (IOException | org.bouncycastle.tsp.TSPException e) {
            throw new IllegalStateException("the TSA's answer is not a valid time-stamp: " + e.getMessage(), e);
        }
    }

    /**
     * BouncyCastle's JCA provider, made when a token is first verified rather than when this class loads: it
     * registers hundreds of algorithms (~0.3 s with BouncyCastle 1.83) and anchoring at start only signs.
     */
    private static final class Bc {
        static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
    }

    @Override
    public boolean verify(byte[] statement, byte[] token) {
        try {
            TimeStampToken tst = new TimeStampToken(new CMSSignedData(token));
            if (!NISTObjectIdentifiers.id_sha256.equals(tst.getTimeStampInfo().getMessageImprintAlgOID())
                    || !MessageDigest.isEqual(Digests.sha256(statement), tst.getTimeStampInfo().getMessageImprintDigest())) {
                return false;
            }
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = tst.getCertificates().getMatches(tst.getSID());
            for (X509CertificateHolder holder : matches) {
                X509Certificate signer = new JcaX509CertificateConverter().setProvider(Bc.PROVIDER)
                        .getCertificate(holder);
                if (issuedByTrusted(signer) && isTimeStamping(signer)) {
                    tst.validate(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Bc.PROVIDER).build(signer));
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            // the contract: never throws; an unreadable or invalid token does not verify
            return false;
        }
    }

    private boolean issuedByTrusted(X509Certificate signer) {
        for (X509Certificate ca : trustedIssuers.get()) {
            try {
                if (signer.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                    signer.verify(ca.getPublicKey());
                    return true;
                }
            } catch (java.security.GeneralSecurityException e) {
                // not this one
            }
        }
        return false;
    }

    private static boolean isTimeStamping(X509Certificate cert) throws java.security.cert.CertificateParsingException {
        List<String> eku = cert.getExtendedKeyUsage();
        return eku != null && eku.contains(KeyPurposeId.id_kp_timeStamping.getId());
    }

}
