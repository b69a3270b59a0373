package io.cachet.tsa.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.tsp.TimeStampResp;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TSPValidationException;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.bouncycastle.util.CollectionStore;
import org.bouncycastle.util.Store;

import io.cachet.api.ca.TimeStampKey;

/**
 * RFC 3161 time-stamping core: answers a DER TimeStampReq with a TimeStampResp signed by the time-stamping unit's
 * key, which the CA keeps on its token ({@link TimeStampKey}: certificate, TSA policy, signatures). Never
 * throws to the caller: unreadable requests get {@code rejection / badDataFormat}. What is accepted is narrow:
 * message imprints of SHA-256/384/512 (else {@code badAlg}), no policy or the configured TSA policy (else
 * {@code unacceptedPolicy}: BouncyCastle would otherwise put any requested policy into the token), and no request
 * extensions (else {@code unacceptedExtension}).
 */
public final class TimeStampAuthority {
    private static final Set<ASN1ObjectIdentifier> ACCEPTED = Set.of(NISTObjectIdentifiers.id_sha256,
            NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);

    private static final SecureRandom RANDOM = new SecureRandom();
    /** What BouncyCastle's response generator says with a granted token. */
    private static final PKIStatusInfo GRANTED = new PKIStatusInfo(PKIStatus.granted, new PKIFreeText("Operation Okay"));

    private final TimeStampKey key;
    private final ASN1ObjectIdentifier policy;
    private final Clock clock;
    private volatile Unit unit;
    /** Each serving thread's token generator (below), made again when the unit's certificate changes. */
    private final ThreadLocal<Generator> generators = new ThreadLocal<>();

    /**
     * @param key the time-stamping unit's key; its {@link TimeStampKey#policyOid() policy} is put in every token
     * @throws IllegalArgumentException when the key's policy is not an OID
     */
    public TimeStampAuthority(TimeStampKey key, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        try {
            this.policy = new ASN1ObjectIdentifier(key.policyOid());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("TSA policy is not an OID: " + key.policyOid(), e);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The time-stamping unit's certificate, which signs the tokens. */
    public X509Certificate certificate() {
        return key.certificate();
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
            // BC checks the imprint algorithm and length, the requested policy and the extensions, and names the
            // failure (badAlg/badDataFormat/unacceptedPolicy/unacceptedExtension)
            request.validate(ACCEPTED, Set.of(policy), Set.of());
        } catch (TSPValidationException e) {
            return failure(PKIStatus.REJECTION, e.getFailureCode(), e.getMessage());
        } catch (Exception e) {
            return failure(PKIStatus.REJECTION, PKIFailureInfo.badDataFormat, "request is not a TimeStampReq");
        }
        try {
            // the response as BouncyCastle's TimeStampResponseGenerator writes it, without its parsing the token it
            // has just made a second time (~9 % of a time-stamp's CPU over HTTP, profiled)
            TimeStampTokenGenerator generator = generator();
            return new TimeStampResp(GRANTED, generator.generate(request, serial(), Date.from(clock.instant()))
                    .toCMSSignedData().toASN1Structure()).getEncoded();
        } catch (Exception e) {
            return failure(PKIStatus.REJECTION, PKIFailureInfo.systemFailure, "time-stamp could not be produced");
        }
    }

    /** A token generator with its signer: kept per thread, as neither may serve two tokens at once. */
    private record Generator(Unit unit, TimeStampTokenGenerator tokens) {
    }

    /**
     * This thread's token generator, made once per thread and unit certificate instead of once per token: making one
     * hashes the unit's certificate for the signing-certificate attribute and builds the signer (~10 % of a
     * time-stamp's CPU over HTTP, profiled). A generator serves one token after the other: the signer's buffer is
     * emptied when BouncyCastle starts writing the next signed attributes.
     */
    private TimeStampTokenGenerator generator() throws Exception {
        Unit u = unit(key.certificate());
        Generator g = generators.get();
        if (g == null || g.unit() != u) {
            DigestCalculator sha256 = new BcDigestCalculatorProvider()
                    .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256));
            SignerInfoGenerator signer = new JcaSignerInfoGeneratorBuilder(new BcDigestCalculatorProvider())
                    .build(new KeySigner(key), u.holder());
            TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(signer, sha256, policy);
            // only sent when the request has certReq = true (BC honours the flag)
            tokens.addCertificates(u.store());
            g = new Generator(u, tokens);
            generators.set(g);
        }
        return g.tokens();
    }

    /**
     * The unit's certificate as BouncyCastle holds it, decoded once per certificate rather than twice per token
     * (~8 % of a time-stamp's CPU over HTTP, profiled).
     */
    private record Unit(X509Certificate certificate, X509CertificateHolder holder, Store<X509CertificateHolder> store) {
    }

    private Unit unit(X509Certificate certificate) throws CertificateEncodingException {
        Unit u = unit;
        if (u == null || (u.certificate() != certificate && !u.certificate().equals(certificate))) {
            X509CertificateHolder holder = new JcaX509CertificateHolder(certificate);
            u = new Unit(certificate, holder, new CollectionStore<>(List.of(holder)));
            unit = u;
        }
        return u;
    }

    /** A token serial of 127 random bits, positive, with no leading zero byte (as the CA's certificate serials). */
    private static BigInteger serial() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        bytes[0] = (byte) ((bytes[0] & 0x3F) | 0x40);
        return new BigInteger(1, bytes);
    }

    /**
     * BouncyCastle's {@link ContentSigner} over the key service: BC streams the to-be-signed attributes in, the CA's
     * token signs them. Used by one thread, for one token after the other: each token's attributes start with
     * {@link #getOutputStream()}, which empties the buffer (a signature that failed leaves nothing behind).
     */
    private static final class KeySigner implements ContentSigner {
        private final TimeStampKey key;
        private final AlgorithmIdentifier algorithm;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

        KeySigner(TimeStampKey key) {
            this.key = key;
            this.algorithm = new DefaultSignatureAlgorithmIdentifierFinder().find(key.algorithm().jcaName());
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public OutputStream getOutputStream() {
            buffer.reset();
            return buffer;
        }

        @Override
        public byte[] getSignature() {
            return key.sign(buffer.toByteArray());
        }
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
