package io.cachet.ca.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.asn1.x509.V2TBSCertListGenerator;
import org.bouncycastle.asn1.x509.qualified.QCStatement;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Issues qualified e-seal certificates (ETSI EN 319 412-1/-3/-5) under the issuing CA, revokes them and
 * produces CRLs. Thread-safe as long as the repository is.
 */
public final class SealIssuer {
    static final ASN1ObjectIdentifier QC_COMPLIANCE = new ASN1ObjectIdentifier("0.4.0.1862.1.1");
    static final ASN1ObjectIdentifier QC_SSCD = new ASN1ObjectIdentifier("0.4.0.1862.1.4");
    static final ASN1ObjectIdentifier QC_PDS = new ASN1ObjectIdentifier("0.4.0.1862.1.5");
    static final ASN1ObjectIdentifier QC_TYPE = new ASN1ObjectIdentifier("0.4.0.1862.1.6");
    static final ASN1ObjectIdentifier QC_TYPE_ESEAL = new ASN1ObjectIdentifier("0.4.0.1862.1.6.2");
    static final ASN1ObjectIdentifier QCP_L = new ASN1ObjectIdentifier("0.4.0.194112.1.1");
    static final ASN1ObjectIdentifier QCP_L_QSCD = new ASN1ObjectIdentifier("0.4.0.194112.1.3");

    /**
     * BouncyCastle's JCA provider, made at first use (an RSA CSR, a PEM key): making one costs ~0.3 s of CPU with
     * BouncyCastle 1.83, which the CA's start need not pay.
     */
    private static final class Bc {
        static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
    }

    private final CaHierarchy ca;
    private final IssuerSettings settings;
    private final CertificateRepository repository;
    private final Clock clock;

    public SealIssuer(CaHierarchy ca, IssuerSettings settings, CertificateRepository repository, Clock clock) {
        this.ca = Objects.requireNonNull(ca);
        this.settings = Objects.requireNonNull(settings);
        this.repository = Objects.requireNonNull(repository);
        this.clock = Objects.requireNonNull(clock);
    }

    public CertificateRepository repository() {
        return repository;
    }

    /**
     * Issues a qualified e-seal certificate: {@link #sign}, then {@link #store}.
     *
     * @throws CaException naming the problem: unreadable CSR, bad CSR signature, weak or unsupported key,
     *         unknown profile, malformed subject fields
     */
    public X509Certificate issue(SealRequest request) {
        return store(sign(request));
    }

    /**
     * A certificate signed and not yet in the register, with the way to sign it again under another serial. Until
     * {@link #store} added it, it is nobody's: it is never handed out.
     */
    public static final class Unstored {
        private X509Certificate certificate;
        private final java.util.function.Supplier<X509Certificate> again;

        private Unstored(java.util.function.Supplier<X509Certificate> make) {
            this.again = make;
            this.certificate = make.get();
        }
    }

    /**
     * Checks the request and signs its certificate, without the database: the slow part of an issuance, kept out of
     * the transaction that stores it.
     *
     * @throws CaException naming the problem: unreadable CSR, bad CSR signature, weak or unsupported key,
     *         unknown profile, malformed subject fields
     */
    public Unstored sign(SealRequest request) {
        ASN1ObjectIdentifier qcPolicy = switch (String.valueOf(request.profile())) {
        case "qscd" -> QCP_L_QSCD;
        case "cloud" -> QCP_L;
        default -> throw new CaException("unknown profile '" + request.profile() + "' (expected qscd or cloud)");
        };
        // named as the fields of the REST API's request
        Names.requireText(request.commonName(), "commonName");
        Names.requireText(request.organization(), "organisation.name");
        Names.requireOrganizationIdentifier(request.organizationIdentifier(), "organisation.identifier");
        Names.requireCountry(request.country(), "organisation.country");
        if (request.years() < 1) {
            throw new CaException("validity must be at least one year");
        }
        PKCS10CertificationRequest csr = parseCsr(request.csrPem());
        SubjectPublicKeyInfo spki = csr.getSubjectPublicKeyInfo();
        checkKey(spki);
        verifyCsrSignature(csr);

        Instant now = clock.instant();
        Instant notAfter = CaHierarchy.plusYears(now, request.years());
        Instant caEnd = ca.issuing().getNotAfter().toInstant();
        if (notAfter.isAfter(caEnd)) {
            notAfter = caEnd;
        }
        X500Name subject = Names.organisation(request.commonName(), request.organization(),
                request.organizationIdentifier(), request.country());
        PublicKey key;
        try {
            key = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().setProvider(Bc.PROVIDER).getPublicKey(spki);
        } catch (IOException e) {
            throw new CaException("CSR public key cannot be read", e);
        }
        X500Name issuerName = X500Name.getInstance(ca.issuing().getSubjectX500Principal().getEncoded());
        boolean qscd = qcPolicy.equals(QCP_L_QSCD);
        Instant notAfterCapped = notAfter;
        return new Unstored(() -> CaHierarchy.build(subject, ca.issuing(), key, issuerName, now, notAfterCapped,
                ca.issuingSigner(), b -> {
                    b.addExtension(Extension.basicConstraints, false, new BasicConstraints(false));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(settings.keyUsage(qscd)));
                    b.addExtension(Extension.certificatePolicies, false, new CertificatePolicies(
                            new PolicyInformation[] { new PolicyInformation(qcPolicy),
                                    new PolicyInformation(new ASN1ObjectIdentifier(settings.providerPolicyOid())) }));
                    b.addExtension(Extension.qCStatements, false, qcStatements(qscd));
                    settings.addRevocationPointers(b);
                }));
    }

    /**
     * Adds a signed certificate to the register (joining the caller's transaction, if any). The serial is random and
     * unique by the register's constraint: a clash (2^-64 odds) signs it again under a new one.
     *
     * @return the certificate as stored
     */
    public X509Certificate store(Unstored signed) {
        for (int attempt = 1;; attempt++) {
            try {
                repository.add(signed.certificate);
                return signed.certificate;
            } catch (CaException e) {
                if (e.kind() != CaException.Kind.CONFLICT || attempt == 3) {
                    throw e;
                }
                signed.certificate = signed.again.get();
            }
        }
    }

    private DERSequence qcStatements(boolean qscd) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new QCStatement(QC_COMPLIANCE));
        v.add(new QCStatement(QC_TYPE, new DERSequence(QC_TYPE_ESEAL)));
        if (qscd) {
            v.add(new QCStatement(QC_SSCD));
        }
        ASN1Encodable pdsLocation = new DERSequence(new ASN1Encodable[] { new DERIA5String(settings.pdsUrl()),
                new DERPrintableString(settings.pdsLanguage().toLowerCase(Locale.ROOT)) });
        v.add(new QCStatement(QC_PDS, new DERSequence(pdsLocation)));
        return new DERSequence(v);
    }

    static PKCS10CertificationRequest parseCsr(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new CaException("CSR is empty");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            if (o instanceof PKCS10CertificationRequest csr) {
                return csr;
            }
            throw new CaException("CSR is not a PEM PKCS#10 certification request");
        } catch (IOException | RuntimeException e) {
            if (e instanceof CaException ce) {
                throw ce;
            }
            throw new CaException("CSR is malformed: " + e.getMessage(), e);
        }
    }

    static void checkKey(SubjectPublicKeyInfo spki) {
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        try {
            if (PKCSObjectIdentifiers.rsaEncryption.equals(alg)) {
                int bits = RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus().bitLength();
                if (bits < 2048) {
                    throw new CaException("RSA key of " + bits + " bits refused: at least 2048 bits required");
                }
                return;
            }
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(alg)) {
                ASN1Encodable params = spki.getAlgorithm().getParameters();
                if (!(params instanceof ASN1ObjectIdentifier curve)) {
                    throw new CaException("EC key without a named curve refused");
                }
                if (!X9ObjectIdentifiers.prime256v1.equals(curve) && !SECObjectIdentifiers.secp384r1.equals(curve)) {
                    throw new CaException("EC curve " + curve + " refused: only P-256 and P-384 are accepted");
                }
                return;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new CaException("CSR public key is malformed", e);
        }
        throw new CaException("key algorithm " + alg + " refused: RSA or EC required");
    }

    private static void verifyCsrSignature(PKCS10CertificationRequest csr) {
        boolean valid;
        try {
            SubjectPublicKeyInfo key = csr.getSubjectPublicKeyInfo();
            // EC: BouncyCastle's lightweight verifier. Its JCA builder verifies an EC signature twice (a second,
            // "raw" verification meant to release PKCS#11 sessions): that was a third of an issuance's CPU over
            // HTTP. RSA (verification is cheap) and RSASSA-PSS parameters stay with the JCA builder.
            ContentVerifierProvider verifier = X9ObjectIdentifiers.id_ecPublicKey.equals(key.getAlgorithm().getAlgorithm())
                    ? new BcECContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder())
                            .build(PublicKeyFactory.createKey(key))
                    : new JcaContentVerifierProviderBuilder().setProvider(Bc.PROVIDER).build(key);
            valid = csr.isSignatureValid(verifier);
        } catch (OperatorCreationException | PKCSException | IOException | RuntimeException e) {
            throw new CaException("CSR signature cannot be verified: " + e.getMessage(), e);
        }
        if (!valid) {
            throw new CaException("CSR signature is invalid (no proof of possession of the private key)");
        }
    }

    /**
     * Revokes a certificate this CA issued.
     *
     * @param reason RFC 5280 CRLReason code
     * @throws CaException for an unknown or already revoked serial
     */
    public void revoke(BigInteger serial, int reason) {
        repository.revoke(serial, new CertificateRepository.Revocation(clock.instant(), reason));
    }

    /** A CRL just made, with its number and how many entries it has (read back from a large CRL, both are costly). */
    public record MadeCrl(EncodedCrl crl, BigInteger number, int entries) {
    }

    /** A fresh CRL (X.509 v2) of the issuing CA, with CRL number and AKI (key identifier only). */
    public X509CRL crl() {
        return makeCrl().crl();
    }

    /** {@link #crl()} with its number and entry count. */
    public MadeCrl makeCrl() {
        Instant now = clock.instant();
        try {
            X509CertificateHolder issuer = new X509CertificateHolder(ca.issuing().getEncoded());
            // BouncyCastle's own TBSCertList generator, the one X509v2CRLBuilder fills, given each entry's
            // revocation time as an ASN.1 Time made here (CrlTime): X509v2CRLBuilder takes only Dates, and turns each
            // into a Time through two new SimpleDateFormats (~2 us; a fifth of a 100k-entry CRL's build)
            V2TBSCertListGenerator tbs = new V2TBSCertListGenerator();
            tbs.setIssuer(issuer.getSubject());
            tbs.setThisUpdate(CrlTime.of(now));
            tbs.setNextUpdate(CrlTime.of(now.plus(settings.crlValidity())));
            java.util.List<CertificateRepository.Revoked> revoked = repository.revoked();
            for (CertificateRepository.Revoked e : revoked) {
                tbs.addCRLEntry(new ASN1Integer(e.serial()), CrlTime.of(e.revocation().time()),
                        e.revocation().reason());
            }
            BigInteger number = repository.nextCrlNumber();
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            extensions.addExtension(Extension.authorityKeyIdentifier, false,
                    CaHierarchy.authorityKeyIdentifier(ca.issuing()));
            tbs.setExtensions(extensions.generate());
            ContentSigner signer = ca.issuingSigner();
            tbs.setSignature(signer.getAlgorithmIdentifier());
            TBSCertList list = tbs.generateTBSCertList();
            try (OutputStream out = signer.getOutputStream()) {
                list.encodeTo(out, ASN1Encoding.DER);
            }
            X509CRLHolder made = new X509CRLHolder(CertificateList.getInstance(new DERSequence(new ASN1Encodable[] {
                list, signer.getAlgorithmIdentifier(), new DERBitString(signer.getSignature()) })));
            // served as encoded (EncodedCrl): the JDK's decoding of every entry is left to whoever asks for them
            return new MadeCrl(new EncodedCrl(made.getEncoded(), made.getThisUpdate().toInstant(),
                    made.getNextUpdate().toInstant()), number, revoked.size());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new CaException("cannot build CRL: " + e.getMessage(), e);
        }
    }
}
