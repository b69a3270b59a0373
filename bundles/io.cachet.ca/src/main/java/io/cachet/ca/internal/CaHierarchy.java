package io.cachet.ca.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;

import io.cachet.api.ca.OcspKey;
import io.cachet.api.ca.TimeStampKey;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenKey;

/**
 * The CA's four keys and certificates on one token: root (self-signed), issuing CA for qualified seals, OCSP
 * signer and TSA. {@link #create} is the key ceremony; {@link #load} reopens a hierarchy whose certificates
 * are already stored on the token.
 */
public final class CaHierarchy {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Token token;
    private final CaSettings settings;
    private final X509Certificate root;
    private final X509Certificate issuing;
    private final X509Certificate ocsp;
    private final X509Certificate tsa;

    private CaHierarchy(Token token, CaSettings settings, X509Certificate root, X509Certificate issuing,
            X509Certificate ocsp, X509Certificate tsa) {
        this.token = token;
        this.settings = settings;
        this.root = root;
        this.issuing = issuing;
        this.ocsp = ocsp;
        this.tsa = tsa;
    }

    /**
     * Key ceremony: generates the four key pairs on {@code token}, certifies them and stores each certificate
     * next to its key.
     *
     * @throws CaException if a generated key is not protected on the token or a certificate cannot be built
     * @throws io.cachet.api.token.TokenException as the token reports it, e.g. {@code ALREADY_EXISTS} when the
     *         aliases are taken
     */
    public static CaHierarchy create(Token token, CaSettings settings) {
        return create(token, settings, null);
    }

    /**
     * The key ceremony, with the TSA certificate pointing at the CA's CRL and OCSP responder ({@code publication}),
     * so that signatures time-stamped by it can carry its revocation status (levels LT and LTA need it).
     *
     * @param publication the CA's public URLs; {@code null} leaves the TSA certificate without them
     */
    public static CaHierarchy create(Token token, CaSettings settings, IssuerSettings publication) {
        return create(token, token, settings, publication);
    }

    /**
     * The key ceremony with the root key on a token of its own: {@code rootToken} receives the root key pair and
     * certificate, {@code token} the issuing CA, OCSP signer and TSA. The issuing CA certificate then points at the
     * root's authority revocation list (CRL distribution point) and at the root certificate (AIA caIssuers), so that
     * a relying party trusting only the root finds revocation data for the issuing CA. The caller logs out of
     * {@code rootToken} afterwards and keeps the root certificate ({@link #root()}) where it can read it without
     * the root token.
     *
     * @param publication the CA's public URLs; {@code null} leaves the certificates without them
     */
    public static CaHierarchy create(Token token, Token rootToken, CaSettings settings, IssuerSettings publication) {
        return create(token, rootToken, settings, publication, false);
    }

    /**
     * Finishes a key ceremony that a crash interrupted, on the same tokens: as {@link #create(Token, Token,
     * CaSettings, IssuerSettings)}, except that a key pair the interrupted ceremony already generated is used, not
     * generated again, and every certificate is made anew (a certificate stored before the crash is replaced: nothing
     * was issued under it, since the CA starts only once the ceremony is recorded). The caller knows that the
     * ceremony was interrupted, not finished: the keys of a CA in service are never taken for it.
     */
    public static CaHierarchy resume(Token token, Token rootToken, CaSettings settings, IssuerSettings publication) {
        return create(token, rootToken, settings, publication, true);
    }

    private static CaHierarchy create(Token token, Token rootToken, CaSettings settings, IssuerSettings publication,
            boolean resume) {
        Instant now = Instant.now();
        String p = settings.aliasPrefix();
        TokenKey rootKey = keyPair(rootToken, p + "root", settings, resume);
        TokenKey issuingKey = keyPair(token, p + "issuing", settings, resume);
        TokenKey ocspKey = keyPair(token, p + "ocsp", settings, resume);
        TokenKey tsaKey = keyPair(token, p + "tsa", settings, resume);
        for (TokenKey k : new TokenKey[] { rootKey, issuingKey, ocspKey, tsaKey }) {
            // read back from the token, not as requested: a CA key must never have been able to leave it
            if (!k.protectedOnToken()) {
                throw new CaException("key " + k.alias() + " is not protected on the token (sensitive, never"
                        + " extractable); the ceremony is stopped");
            }
        }
        SignatureAlgorithm alg = TokenContentSigner.algorithmFor(settings.keyAlgorithm());

        X500Name rootName = Names.organisation(settings.rootCommonName(), settings.organization(),
                settings.organizationIdentifier(), settings.country());
        X500Name issuingName = Names.organisation(settings.issuingCommonName(), settings.organization(),
                settings.organizationIdentifier(), settings.country());
        Instant rootEnd = plusYears(now, settings.rootYears());
        Instant issuingEnd = plusYears(now, settings.issuingYears());
        Instant serviceEnd = plusYears(now, settings.serviceYears());
        KeyUsage caUsage = new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign);

        X509Certificate root = build(rootName, null, rootKey.publicKey(), rootName, now, rootEnd,
                new TokenContentSigner(rootToken, rootKey.alias(), alg), b -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    b.addExtension(Extension.keyUsage, true, caUsage);
                });
        X509Certificate issuing = build(issuingName, root, issuingKey.publicKey(), rootName, now, issuingEnd,
                new TokenContentSigner(rootToken, rootKey.alias(), alg), b -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                    b.addExtension(Extension.keyUsage, true, caUsage);
                    if (publication != null) {
                        publication.addRootPointers(b);
                    }
                });
        X509Certificate ocsp = build(Names.organisation(settings.issuingCommonName() + " OCSP",
                settings.organization(), settings.organizationIdentifier(), settings.country()), issuing,
                ocspKey.publicKey(), issuingName, now, serviceEnd,
                new TokenContentSigner(token, issuingKey.alias(), alg), b -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    b.addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
                    b.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
                });
        X509Certificate tsa = build(Names.organisation(settings.issuingCommonName() + " TSA",
                settings.organization(), settings.organizationIdentifier(), settings.country()), issuing,
                tsaKey.publicKey(), issuingName, now, serviceEnd,
                new TokenContentSigner(token, issuingKey.alias(), alg), tsaExtensions(publication));
        rootToken.importCertificate(rootKey.alias(), root);
        token.importCertificate(issuingKey.alias(), issuing);
        token.importCertificate(ocspKey.alias(), ocsp);
        token.importCertificate(tsaKey.alias(), tsa);
        return new CaHierarchy(token, settings, root, issuing, ocsp, tsa);
    }

    /** A new key pair {@code alias}; when {@code resume}, the one already there, if it is of the settings' algorithm. */
    private static TokenKey keyPair(Token token, String alias, CaSettings settings, boolean resume) {
        if (resume) {
            Optional<TokenKey> made = token.keys().stream().filter(k -> k.alias().equals(alias)).findFirst();
            if (made.isPresent()) {
                if (made.get().algorithm() != settings.keyAlgorithm()) {
                    throw new CaException(CaException.Kind.UNAVAILABLE, "the interrupted key ceremony left a "
                            + made.get().algorithm() + " key " + alias + " but keyAlgorithm is now "
                            + settings.keyAlgorithm() + "; set it back to finish the ceremony");
                }
                return made.get();
            }
        }
        return token.generateKeyPair(alias, settings.keyAlgorithm());
    }

    /** Reopens a hierarchy made by {@link #create} with the same settings. */
    public static CaHierarchy load(Token token, CaSettings settings) {
        return load(token, settings, null);
    }

    /**
     * Reopens a hierarchy; {@code externalRoot} is the root of an {@link #adopt adopted} CA, whose key is not on
     * this token ({@code null} for a hierarchy made by {@link #create}).
     */
    public static CaHierarchy load(Token token, CaSettings settings, X509Certificate externalRoot) {
        String p = settings.aliasPrefix();
        X509Certificate root = externalRoot != null ? externalRoot : stored(token, p + "root");
        return new CaHierarchy(token, settings, root, stored(token, p + "issuing"), stored(token, p + "ocsp"),
                stored(token, p + "tsa"));
    }

    /** Whether the issuing CA of {@code settings} is on {@code token} with its certificate. */
    public static boolean present(Token token, CaSettings settings) {
        return hasCertificate(token, settings.aliasPrefix() + "issuing");
    }

    /** Whether a key pair {@code alias} is on the token with a certificate (drivers refuse unknown aliases). */
    static boolean hasCertificate(Token token, String alias) {
        return token.keys().stream().anyMatch(k -> k.alias().equals(alias)) && token.certificate(alias).isPresent();
    }

    /**
     * Takes over an existing issuing CA instead of making one: its key pair and certificate must already be on
     * {@code token} under {@code <prefix>issuing} (generated there, or imported with the HSM's own tools), and
     * {@code root} must be the certificate that signed it. Only the OCSP signer and TSA keys are generated and
     * certified by the adopted issuing CA.
     *
     * @throws CaException if the issuing certificate is missing, is not a CA, is not signed by {@code root}, or
     *         does not match its key
     */
    public static CaHierarchy adopt(Token token, CaSettings settings, X509Certificate root) {
        return adopt(token, settings, root, null);
    }

    /** {@link #adopt(Token, CaSettings, X509Certificate)} with the TSA certificate pointing at {@code publication}. */
    public static CaHierarchy adopt(Token token, CaSettings settings, X509Certificate root,
            IssuerSettings publication) {
        String p = settings.aliasPrefix();
        TokenKey issuingKey = token.keys().stream().filter(k -> k.alias().equals(p + "issuing")).findFirst()
                .orElseThrow(() -> new CaException("no key " + p + "issuing on the token: put the existing issuing"
                        + " CA's key pair and certificate there under that label first"));
        X509Certificate issuing = stored(token, p + "issuing");
        if (!issuing.getPublicKey().equals(issuingKey.publicKey())) {
            throw new CaException("the certificate stored for " + p + "issuing does not certify its key");
        }
        if (issuing.getBasicConstraints() < 0) {
            throw new CaException("the certificate stored for " + p + "issuing is not a CA certificate");
        }
        try {
            issuing.verify(root.getPublicKey());
        } catch (java.security.GeneralSecurityException e) {
            throw new CaException("the issuing CA certificate is not signed by the given root: " + e.getMessage(), e);
        }
        if (!issuingKey.protectedOnToken()) {
            throw new CaException("key " + issuingKey.alias() + " is not protected on the token (sensitive, never"
                    + " extractable); it cannot be adopted");
        }
        Instant now = Instant.now();
        Instant serviceEnd = plusYears(now, settings.serviceYears());
        if (serviceEnd.isAfter(issuing.getNotAfter().toInstant())) {
            serviceEnd = issuing.getNotAfter().toInstant();
        }
        X500Name issuingName = X500Name.getInstance(issuing.getSubjectX500Principal().getEncoded());
        SignatureAlgorithm alg = signatureAlgorithmOf(issuingKey);
        // one signer per certificate: a ContentSigner accumulates what it is given
        X509Certificate ocsp = service(token, settings, issuing, issuingName, p + "ocsp", " OCSP", now, serviceEnd,
                new TokenContentSigner(token, issuingKey.alias(), alg), true, publication);
        X509Certificate tsa = service(token, settings, issuing, issuingName, p + "tsa", " TSA", now, serviceEnd,
                new TokenContentSigner(token, issuingKey.alias(), alg), false, publication);
        return new CaHierarchy(token, settings, root, issuing, ocsp, tsa);
    }

    private static SignatureAlgorithm signatureAlgorithmOf(TokenKey key) {
        return TokenContentSigner.algorithmFor(key.algorithm());
    }

    private static X509Certificate service(Token token, CaSettings settings, X509Certificate issuing,
            X500Name issuingName, String alias, String suffix, Instant now, Instant end, ContentSigner signer,
            boolean ocsp, IssuerSettings publication) {
        TokenKey key = token.generateKeyPair(alias, settings.keyAlgorithm());
        if (!key.protectedOnToken()) {
            throw new CaException("key " + alias + " is not protected on the token; the adoption is stopped");
        }
        X500Name name = Names.organisation(settings.issuingCommonName() + suffix, settings.organization(),
                settings.organizationIdentifier(), settings.country());
        X509Certificate cert = build(name, issuing, key.publicKey(), issuingName, now, end, signer, ocsp ? b -> {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
            b.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
        } : tsaExtensions(publication));
        token.importCertificate(alias, cert);
        return cert;
    }

    /** The TSA certificate: time-stamping only (critical EKU), and where its revocation status is published. */
    private static Extensions tsaExtensions(IssuerSettings publication) {
        return b -> {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
            b.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
            if (publication != null) {
                publication.addRevocationPointers(b);
            }
        };
    }

    private static X509Certificate stored(Token token, String alias) {
        return token.certificate(alias).orElseThrow(() -> new CaException("no certificate for key " + alias));
    }

    interface Extensions {
        void add(X509v3CertificateBuilder builder) throws IOException;
    }

    /** Builds and signs a certificate with SKI, AKI and a random 16-byte positive serial. */
    static X509Certificate build(X500Name subject, X509Certificate issuer, PublicKey subjectKey, X500Name issuerName,
            Instant notBefore, Instant notAfter, ContentSigner signer, Extensions extensions) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuerName, randomSerial(),
                    Date.from(notBefore), Date.from(notAfter), subject,
                    SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()));
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            b.addExtension(Extension.authorityKeyIdentifier, false, issuer == null
                    ? utils.createAuthorityKeyIdentifier(subjectKey)
                    : authorityKeyIdentifier(issuer));
            extensions.add(b);
            return toX509(b.build(signer));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new CaException("cannot build certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    /**
     * The AKI naming {@code issuer} by its key identifier alone (its own SKI, or the SHA-1 of its key when it has
     * none), as RFC 5280 §4.2.1.1 and the ETSI linters want it: not by issuer name and serial, which would tie
     * every certificate and CRL to one particular certificate of the issuing key.
     */
    static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate issuer) {
        byte[] ski = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski != null) {
            return new AuthorityKeyIdentifier(SubjectKeyIdentifier.getInstance(
                    ASN1OctetString.getInstance(ski).getOctets()).getKeyIdentifier());
        }
        try {
            return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.getPublicKey());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new CaException("cannot compute the key identifier of " + issuer.getSubjectX500Principal(), e);
        }
    }

    static X509Certificate toX509(X509CertificateHolder holder) {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new CaException("cannot decode certificate", e);
        }
    }

    /**
     * 16 bytes, 126 of them random bits: the first bit cleared so the INTEGER is positive, the second set so it
     * always encodes in 16 bytes (every certificate of a profile then has the same size; never zero).
     */
    static BigInteger randomSerial() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        bytes[0] = (byte) ((bytes[0] & 0x3F) | 0x40);
        return new BigInteger(1, bytes);
    }

    static Instant plusYears(Instant from, int years) {
        return from.atOffset(ZoneOffset.UTC).plusYears(years).toInstant();
    }

    public Token token() {
        return token;
    }

    public CaSettings settings() {
        return settings;
    }

    public X509Certificate root() {
        return root;
    }

    public X509Certificate issuing() {
        return issuing;
    }

    public X509Certificate ocsp() {
        return ocsp;
    }

    public X509Certificate tsa() {
        return tsa;
    }

    SignatureAlgorithm signatureAlgorithm() {
        return TokenContentSigner.algorithmFor(settings.keyAlgorithm());
    }

    ContentSigner issuingSigner() {
        return new TokenContentSigner(token, settings.aliasPrefix() + "issuing", signatureAlgorithm());
    }

    /**
     * The delegated OCSP signer's key, for the OCSP responder (bundle io.cachet.ca.status), answers valid for
     * {@code validity}.
     */
    public OcspKey ocspKey(Duration validity) {
        return new CaOcspKey(this, validity);
    }

    /** The time-stamping unit's key, for the TSA (bundle io.cachet.tsa), tokens issued under {@code policyOid}. */
    public TimeStampKey timeStampKey(String policyOid) {
        return new CaTimeStampKey(this, policyOid);
    }
}
