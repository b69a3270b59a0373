package io.cachet.ca.internal;

import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * RFC 3161 time-stamping core: answers a DER TimeStampReq with a TimeStampResp signed by the TSA key. Never
 * throws to the caller: unreadable requests get {@code rejection / badDataFormat}. What is accepted is narrow:
 * message imprints of SHA-256/384/512 (else {@code badAlg}), no policy or the configured TSA policy (else
 * {@code unacceptedPolicy}: BouncyCastle would otherwise put any requested policy into the token), and no request
 * extensions (else {@code unacceptedExtension}).
 */
public final class TimeStampAuthority {
    private static final Set<ASN1ObjectIdentifier> ACCEPTED = Set.of(NISTObjectIdentifiers.id_sha256,
            NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);

    private final CaHierarchy ca;
    private final ASN1ObjectIdentifier policy;
    private final Clock clock;

    /**
     * @param policyOid the TSA policy OID put in every token
     */
    public TimeStampAuthority(CaHierarchy ca, String policyOid, Clock clock) {
        this.ca = ca;
        try {
            this.policy = new ASN1ObjectIdentifier(policyOid);
        } catch (RuntimeException e) {
            throw new CaException("TSA policy is not an OID: " + policyOid, e);
        }
        this.clock = clock;
    }

    /** The DER TimeStampResp answering {@code requestDer}. */
    public byte[] respond(byte[] requestDer) {
        TimeStampRequest request;
        try {
            request = new TimeStampRequest(requestDer);
        } catch (Exception e) {
            return failure(PKIStatus.REJECTION, PKIFailureInfo.badDataFormat, "request is not a TimeStampReq");
        }
        try {
            // BC checks the imprint algorithm and length, the requested policy and the extensions, and answers
            // badAlg/badDataFormat/unacceptedPolicy/unacceptedExtension itself
            TimeStampResponseGenerator generator = new TimeStampResponseGenerator(tokenGenerator(), ACCEPTED,
                    Set.of(policy), Set.of());
            return generator.generate(request, CaHierarchy.randomSerial(), Date.from(clock.instant()))
                    .getEncoded();
        } catch (Exception e) {
            return failure(PKIStatus.REJECTION, PKIFailureInfo.systemFailure, "time-stamp could not be produced");
        }
    }

    private TimeStampTokenGenerator tokenGenerator() throws Exception {
        DigestCalculator sha256 = new BcDigestCalculatorProvider()
                .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256));
        SignerInfoGenerator signer = new JcaSignerInfoGeneratorBuilder(new BcDigestCalculatorProvider())
                .build(ca.tsaSigner(), new JcaX509CertificateHolder(ca.tsa()));
        TimeStampTokenGenerator generator = new TimeStampTokenGenerator(signer, sha256, policy);
        // only sent when the request has certReq = true (BC honours the flag)
        generator.addCertificates(new JcaCertStore(List.of(ca.tsa())));
        return generator;
    }

    private static byte[] failure(int status, int failInfo, String text) {
        try {
            return new TimeStampResponseGenerator(null, ACCEPTED).generateFailResponse(status, failInfo, text)
                    .getEncoded();
        } catch (TSPException | java.io.IOException e) {
            throw new IllegalStateException("cannot encode a failure TimeStampResp", e);
        }
    }

}
