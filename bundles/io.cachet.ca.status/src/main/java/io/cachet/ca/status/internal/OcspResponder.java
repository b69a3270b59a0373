package io.cachet.ca.status.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;

import io.cachet.api.ca.CertificateStatus;
import io.cachet.api.ca.OcspKey;

/**
 * RFC 6960 responder core: answers a DER OCSPRequest with a BasicOCSPResponse signed by the CA's delegated OCSP
 * signer, whose key the CA keeps on its token ({@link OcspKey}: certificate, issuing CA, validity, signatures), the
 * status of each certificate as the CA's register has it ({@code CertificateAuthority.status}). Never throws to the
 * caller: a request it cannot read, or whose nonce is not 1 to 32 octets
 * (RFC 8954), gets {@code malformedRequest}; a request about a certificate of another CA gets
 * {@code unauthorized} (this responder is authoritative for its issuing CA only); a failure while answering gets
 * {@code internalError}. Answers carry nextUpdate = thisUpdate + the configured validity, and the request's nonce
 * in a non-critical extension.
 *
 * <p>Pre-produced answers (RFC 5019 §2.2.1, off unless a reuse period is given): a request about one certificate
 * without a nonce is answered with the response signed for the same CertID up to that period earlier, as long as the
 * register still says the same about it (looked up at every request: a revocation is answered at once). A P-256
 * signature is most of an answer's cost; relying parties that send no nonce (most browsers and TLS stacks) accept
 * such answers. A request with a nonce is always signed afresh, so a signer that needs an answer produced after its
 * time-stamp (an LT signature) asks with a nonce, as Cachet's own signing does.
 */
public final class OcspResponder {
    /** RFC 8954 §2.1: Nonce ::= OCTET STRING (SIZE(1..32)). */
    static final int MAX_NONCE = 32;

    private final OcspKey key;
    private final Function<BigInteger, Optional<CertificateStatus>> status;
    private final Clock clock;
    private final Duration validity;
    private final X509CertificateHolder issuing;
    private final X509CertificateHolder[] chain;
    private final RespID responderId;
    private final DigestCalculatorProvider digests = new BcDigestCalculatorProvider();
    /** How long a signed answer to a nonce-less request is given again; zero: never. */
    private final Duration reuse;
    private final Map<String, Produced> produced = new ConcurrentHashMap<>();
    /** The signature algorithm of every answer: the key's, found once. */
    private final AlgorithmIdentifier signatureAlgorithm;
    /**
     * The issuing CA's CertID per hash algorithm of the requests (only its name and key hashes are compared): made
     * once per algorithm instead of hashing the CA's name and key again for every request (~3 % of an answer).
     */
    private final Map<AlgorithmIdentifier, CertID> issuerIds = new ConcurrentHashMap<>();

    /**
     * At most this many hash algorithms' CertIDs are kept (SHA-1 and SHA-256 in practice); the algorithm identifier
     * comes from the request, so beyond this the CertID is made for each request instead of filling memory.
     */
    static final int MAX_ISSUER_IDS = 8;

    /** An answer signed for one CertID without a nonce: what the register said then, when, the DER. */
    private record Produced(String status, Instant at, byte[] response) {
    }

    /** At most this many kept answers (~1 kB each); beyond, all are dropped and the next requests sign again. */
    static final int MAX_PRODUCED = 10_000;

    /** A responder that signs every answer afresh. */
    public OcspResponder(OcspKey key, Function<BigInteger, Optional<CertificateStatus>> status, Clock clock) {
        this(key, status, clock, Duration.ZERO);
    }

    /**
     * @param key the delegated OCSP signer's key; its {@link OcspKey#validity() validity} is nextUpdate -
     *        thisUpdate of every answer
     * @param status the CA's register: the status of a serial the CA issued, empty for one it did not
     * @param reuse how long an answer to a nonce-less request about one certificate is given again while its status
     *        is unchanged (above); zero: every answer is signed afresh. At most a quarter of the validity is used, so
     *        an answer given again still has at least three quarters of its validity ahead.
     * @throws IllegalArgumentException when the key's validity is not positive, the reuse period is negative, or the
     *         key's certificates cannot be read
     */
    public OcspResponder(OcspKey key, Function<BigInteger, Optional<CertificateStatus>> status, Clock clock,
            Duration reuse) {
        this.key = Objects.requireNonNull(key, "key");
        this.status = Objects.requireNonNull(status, "status");
        this.clock = Objects.requireNonNull(clock, "clock");
        Duration validity = key.validity();
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("the OCSP validity must be positive, not " + validity);
        }
        this.validity = validity;
        if (reuse == null || reuse.isNegative()) {
            throw new IllegalArgumentException("the OCSP reuse period must be zero or more, not " + reuse);
        }
        Duration quarter = validity.dividedBy(4);
        this.reuse = reuse.compareTo(quarter) > 0 ? quarter : reuse;
        try {
            this.issuing = new X509CertificateHolder(key.issuer().getEncoded());
            X509CertificateHolder ocsp = new X509CertificateHolder(key.certificate().getEncoded());
            this.chain = new X509CertificateHolder[] { ocsp };
            this.responderId = new RespID(SubjectPublicKeyInfo.getInstance(ocsp.getSubjectPublicKeyInfo()),
                    digests.get(RespID.HASH_SHA1));
            this.signatureAlgorithm = new DefaultSignatureAlgorithmIdentifierFinder().find(key.algorithm().jcaName());
        } catch (java.io.IOException | CertificateEncodingException | org.bouncycastle.operator.OperatorCreationException
                | org.bouncycastle.cert.ocsp.OCSPException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot prepare the OCSP responder: " + e.getMessage(), e);
        }
    }

    /** The DER OCSPResponse answering {@code requestDer}. */
    public byte[] respond(byte[] requestDer) {
        Req[] requests;
        Extension nonce;
        try {
            if (requestDer == null || requestDer.length == 0) {
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            OCSPReq request = new OCSPReq(requestDer);
            requests = request.getRequestList();
            if (requests.length == 0) {
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null && !acceptableNonce(nonce)) {
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
        } catch (Exception e) {
            return status(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        try {
            for (Req req : requests) {
                if (!ours(req.getCertID())) {
                    return status(OCSPRespBuilder.UNAUTHORIZED);
                }
            }
            Instant now = clock.instant();
            Optional<CertificateStatus>[] statuses = lookUp(requests);
            // one certificate, no nonce: the answer signed for the same CertID a moment ago is given again while the
            // register still says the same about it
            String reuseKey = null;
            String said = null;
            if (!reuse.isZero() && nonce == null && requests.length == 1) {
                reuseKey = Base64.getEncoder().encodeToString(requests[0].getCertID().toASN1Primitive().getEncoded());
                said = describe(statuses[0]);
                Produced earlier = produced.get(reuseKey);
                if (earlier != null && earlier.status().equals(said) && !earlier.at().isAfter(now)
                        && earlier.at().plus(reuse).isAfter(now)) {
                    return earlier.response().clone();
                }
            }
            Date thisUpdate = Date.from(now);
            Date nextUpdate = Date.from(now.plus(validity));
            BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(responderId);
            for (int i = 0; i < requests.length; i++) {
                b.addResponse(requests[i].getCertID(), bcStatus(statuses[i]), thisUpdate, nextUpdate, null);
            }
            if (nonce != null) {
                // echoed as a non-critical extension whatever the request said (RFC 8954 §2.1)
                b.setResponseExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        nonce.getExtnValue())));
            }
            byte[] response = new OCSPRespBuilder()
                    .build(OCSPRespBuilder.SUCCESSFUL, b.build(new KeySigner(key, signatureAlgorithm), chain, thisUpdate))
                    .getEncoded();
            if (reuseKey != null) {
                if (produced.size() >= MAX_PRODUCED) {
                    produced.clear();
                }
                produced.put(reuseKey, new Produced(said, now, response.clone()));
            }
            return response;
        } catch (Exception e) {
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    /**
     * Whether the nonce is 1 to 32 octets: the Nonce OCTET STRING inside extnValue (RFC 8954), or, from clients
     * that put the octets there directly, extnValue's contents.
     */
    static boolean acceptableNonce(Extension nonce) {
        byte[] value = nonce.getExtnValue().getOctets();
        int length = value.length;
        try {
            ASN1Primitive inner = ASN1Primitive.fromByteArray(value);
            if (inner instanceof ASN1OctetString octets) {
                length = octets.getOctets().length;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not DER: the octets themselves are the nonce
        }
        return length >= 1 && length <= MAX_NONCE;
    }

    /**
     * Whether {@code id} names a certificate of this responder's issuing CA: its issuer name and key hashes are the
     * CA's, made with the request's hash algorithm (what BouncyCastle's {@code CertificateID.matchesIssuer} checks,
     * the CA's hashes kept per algorithm).
     */
    private boolean ours(CertificateID id) {
        try {
            CertID asked = id.toASN1Primitive();
            AlgorithmIdentifier algorithm = asked.getHashAlgorithm();
            CertID mine = issuerIds.get(algorithm);
            if (mine == null) {
                // BouncyCastle's CertID of the CA itself for this algorithm; the serial is not compared
                mine = new CertificateID(digests.get(algorithm), issuing, BigInteger.ONE).toASN1Primitive();
                if (issuerIds.size() < MAX_ISSUER_IDS) {
                    issuerIds.put(algorithm, mine);
                }
            }
            return mine.getIssuerNameHash().equals(asked.getIssuerNameHash())
                    && mine.getIssuerKeyHash().equals(asked.getIssuerKeyHash());
        } catch (org.bouncycastle.cert.ocsp.OCSPException | org.bouncycastle.operator.OperatorCreationException
                | RuntimeException e) {
            // a hash algorithm we cannot compute: we cannot claim to be its authority
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private Optional<CertificateStatus>[] lookUp(Req[] requests) {
        Optional<CertificateStatus>[] statuses = new Optional[requests.length];
        for (int i = 0; i < requests.length; i++) {
            statuses[i] = status.apply(requests[i].getCertID().getSerialNumber());
        }
        return statuses;
    }

    /** What the register says of a certificate, as compared between a kept answer and now. */
    private static String describe(Optional<CertificateStatus> entry) {
        if (entry.isEmpty()) {
            return "unknown";
        }
        return entry.get().revocation().map(r -> "revoked " + r.time() + " " + r.reason().code()).orElse("good");
    }

    private static org.bouncycastle.cert.ocsp.CertificateStatus bcStatus(Optional<CertificateStatus> entry) {
        if (entry.isEmpty()) {
            return new UnknownStatus();
        }
        return entry.get().revocation()
                .<org.bouncycastle.cert.ocsp.CertificateStatus>map(r -> new RevokedStatus(Date.from(r.time()),
                        r.reason().code()))
                .orElse(org.bouncycastle.cert.ocsp.CertificateStatus.GOOD);
    }

    /**
     * BouncyCastle's {@link ContentSigner} over the key service: BC streams the ResponseData in, the CA's token
     * signs it. One instance per response (BC's contract).
     */
    private static final class KeySigner implements ContentSigner {
        private final OcspKey key;
        private final AlgorithmIdentifier algorithm;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

        KeySigner(OcspKey key, AlgorithmIdentifier algorithm) {
            this.key = key;
            this.algorithm = algorithm;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public OutputStream getOutputStream() {
            return buffer;
        }

        @Override
        public byte[] getSignature() {
            return key.sign(buffer.toByteArray());
        }
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
