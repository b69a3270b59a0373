package io.cachet.ca.internal;

import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;

import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;

/**
 * RFC 6960 responder core: answers a DER OCSPRequest with a BasicOCSPResponse signed by the OCSP signer
 * certificate. Never throws to the caller: a request it cannot read gets {@code malformedRequest}, a failure
 * while answering gets {@code internalError}.
 */
public final class OcspResponder {
    private final CaHierarchy ca;
    private final CertificateRepository repository;
    private final Clock clock;
    private final X509CertificateHolder issuing;
    private final X509CertificateHolder[] chain;
    private final RespID responderId;
    private final DigestCalculatorProvider digests = new BcDigestCalculatorProvider();

    public OcspResponder(CaHierarchy ca, CertificateRepository repository, Clock clock) {
        this.ca = ca;
        this.repository = repository;
        this.clock = clock;
        try {
            this.issuing = new X509CertificateHolder(ca.issuing().getEncoded());
            X509CertificateHolder ocsp = new X509CertificateHolder(ca.ocsp().getEncoded());
            this.chain = new X509CertificateHolder[] { ocsp };
            this.responderId = new RespID(SubjectPublicKeyInfo.getInstance(ocsp.getSubjectPublicKeyInfo()),
                    digests.get(RespID.HASH_SHA1));
        } catch (java.io.IOException | CertificateEncodingException | org.bouncycastle.operator.OperatorCreationException
                | org.bouncycastle.cert.ocsp.OCSPException e) {
            throw new CaException("cannot prepare the OCSP responder", e);
        }
    }

    /** The DER OCSPResponse answering {@code requestDer}. */
    public byte[] respond(byte[] requestDer) {
        OCSPReq request;
        try {
            if (requestDer == null || requestDer.length == 0) {
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            request = new OCSPReq(requestDer);
            if (request.getRequestList().length == 0) {
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
        } catch (Exception e) {
            return status(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        try {
            Date now = Date.from(clock.instant());
            BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(responderId);
            for (Req req : request.getRequestList()) {
                CertificateID id = req.getCertID();
                b.addResponse(id, statusOf(id), now, null, null);
            }
            Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) {
                b.setResponseExtensions(new Extensions(nonce));
            }
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, b.build(ca.ocspSigner(), chain, now))
                    .getEncoded();
        } catch (Exception e) {
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    private CertificateStatus statusOf(CertificateID id) throws org.bouncycastle.cert.ocsp.OCSPException {
        if (!id.matchesIssuer(issuing, digests)) {
            return new UnknownStatus();
        }
        if (id.getSerialNumber().equals(ca.tsa().getSerialNumber())) {
            // the CA's own TSA certificate is not in the repository of issued seals; it is good while the CA runs
            return CertificateStatus.GOOD;
        }
        Optional<CertificateRepository.Entry> entry = repository.find(id.getSerialNumber());
        if (entry.isEmpty()) {
            return new UnknownStatus();
        }
        return entry.get().revocation()
                .<CertificateStatus>map(r -> new RevokedStatus(Date.from(r.time()), r.reason()))
                .orElse(CertificateStatus.GOOD);
    }

    private static byte[] status(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (Exception e) {
            // an unsigned status-only response is a fixed 5-byte structure
            return new byte[] { 0x30, 0x03, 0x0a, 0x01, (byte) status };
        }
    }
}
