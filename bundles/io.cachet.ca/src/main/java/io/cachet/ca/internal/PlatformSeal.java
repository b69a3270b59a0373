package io.cachet.ca.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.PlatformSealKey;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.security.Digests;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;

/**
 * The platform's own seal (alias {@code <prefix>seal}, {@code ca-seal}, on the CA token): a key pair made on the
 * token the first time a CA opens without one (at the key ceremony, or at the first start of a CA made before),
 * certified by the issuing CA through the CA's own idempotent issuance (so it is in the certificate register, on
 * the CRL when revoked and answered for by OCSP), its certificate stored next to the key. Plain Java.
 */
public final class PlatformSeal implements PlatformSealKey {
    static final String SUFFIX = "seal";

    private final CaHierarchy ca;
    private final String alias;
    /** Replaced when it is renewed ({@link #renewIfDue}); signers read it from the token at each signature. */
    private volatile X509Certificate certificate;
    private final URI timeStampAuthority;
    private final SigningKey signingKey;

    private PlatformSeal(CaHierarchy ca, String alias, X509Certificate certificate, URI timeStampAuthority) {
        this.ca = ca;
        this.alias = alias;
        this.certificate = certificate;
        this.timeStampAuthority = timeStampAuthority;
        this.signingKey = new SigningKey(new SealOnlyToken(ca.token(), alias), alias, List.of(ca.issuing(), ca.root()));
    }

    /**
     * The platform seal of {@code services}' CA: loaded when its key and certificate are on the CA token, else made
     * (key generated on the token when absent, certificate issued by the issuing CA and stored on the token). Its
     * renewal is {@link #renewIfDue}'s.
     *
     * @param commonName the seal certificate's common name (the organisation is the CA's own)
     * @param publicBaseUrl the CA's public base URL; the TSA answers at {@code /tsa} below it
     * @throws CaException when the key is not protected on the token or the certificate cannot be issued
     */
    public static PlatformSeal open(TrustServices services, String commonName, String publicBaseUrl, AuditLog audit) {
        Objects.requireNonNull(audit, "audit");
        CaHierarchy ca = services.hierarchy();
        CaSettings settings = ca.settings();
        String alias = settings.aliasPrefix() + SUFFIX;
        Token token = ca.token();
        URI tsa = URI.create(publicBaseUrl.replaceAll("/+$", "") + "/tsa");
        Optional<TokenKey> existing = token.keys().stream().filter(k -> k.alias().equals(alias)).findFirst();
        if (existing.isPresent()) {
            Optional<X509Certificate> stored = token.certificate(alias);
            if (stored.isPresent()) {
                if (!stored.get().getPublicKey().equals(existing.get().publicKey())) {
                    throw new CaException(CaException.Kind.UNAVAILABLE, "the certificate stored for " + alias
                            + " does not certify its key; restore the CA token");
                }
                return new PlatformSeal(ca, alias, stored.get(), tsa);
            }
        }
        TokenKey key = existing.orElseGet(() -> token.generateKeyPair(alias, settings.keyAlgorithm()));
        if (!key.protectedOnToken()) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "key " + alias + " is not protected on the CA token"
                    + " (sensitive, never extractable): the platform seal is not made");
        }
        // the request id follows the key: a start interrupted after the issuance gets the same certificate back
        X509Certificate certificate = certify(services, key, commonName, "platform-seal:" + keyId(key));
        token.importCertificate(alias, certificate);
        audit.append(AuditEvent.of("system", "ca.platform-seal.created", "certificate:"
                + certificate.getSerialNumber().toString(16), "alias=" + alias + "\nsubject="
                        + certificate.getSubjectX500Principal().getName() + "\nnotAfter="
                        + certificate.getNotAfter().toInstant()));
        return new PlatformSeal(ca, alias, certificate, tsa);
    }

    /**
     * Certifies the seal's key again when its certificate ends within {@code renewBefore} of {@code now} (or has
     * ended): a new certificate from the issuing CA for the same key (validity {@code serviceYears}), stored on the
     * token in place of the old one, which stays in the register and valid until its own end. The request id follows
     * the old certificate, so a renewal interrupted between the issuance and storing the certificate gets the same
     * one back at the next try. Nothing is done while the issuing CA itself ends before the new certificate could
     * outlast the old one (a new CA is due, which renewal does not make).
     *
     * @return whether the certificate was renewed
     * @throws CaException as the CA or the token report it; the old certificate stays
     */
    synchronized boolean renewIfDue(TrustServices services, String commonName, AuditLog audit, Instant now,
            Duration renewBefore) {
        X509Certificate current = certificate;
        Instant end = current.getNotAfter().toInstant();
        if (end.isAfter(now.plus(renewBefore))) {
            return false;
        }
        if (!ca.issuing().getNotAfter().toInstant().isAfter(end)) {
            return false;
        }
        Token token = ca.token();
        TokenKey key = token.keys().stream().filter(k -> k.alias().equals(alias)).findFirst()
                .orElseThrow(() -> new CaException(CaException.Kind.UNAVAILABLE, "the platform seal key " + alias
                        + " is no longer on the CA token"));
        X509Certificate renewed = certify(services, key, commonName, "platform-seal:" + keyId(key) + ":after:"
                + current.getSerialNumber().toString(16));
        token.importCertificate(alias, renewed);
        certificate = renewed;
        audit.append(AuditEvent.of("system", "ca.platform-seal.renewed", "certificate:"
                + renewed.getSerialNumber().toString(16), "alias=" + alias + "\nreplaces="
                        + current.getSerialNumber().toString(16) + "\nnotAfter=" + renewed.getNotAfter().toInstant()));
        return true;
    }

    /** A certificate for {@code key} from the issuing CA, issued at most once per {@code requestId}. */
    private static X509Certificate certify(TrustServices services, TokenKey key, String commonName,
            String requestId) {
        CaSettings settings = services.hierarchy().settings();
        String csr = csr(services.hierarchy().token(), key, commonName);
        SealCertificateRequest request = new SealCertificateRequest(csr, SealCertificateRequest.Profile.CLOUD,
                commonName, new SealCertificateRequest.Organisation(settings.organization(),
                        settings.organizationIdentifier(), settings.country()),
                settings.serviceYears());
        return services.issue(request, "system", requestId).certificate();
    }

    private static String csr(Token token, TokenKey key, String commonName) {
        SignatureAlgorithm algorithm = TokenContentSigner.algorithmFor(key.algorithm());
        try {
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                    new X500Principal("CN=" + commonName.replaceAll("[,+=\"\\\\<>;#]", " ")), key.publicKey())
                    .build(new TokenContentSigner(token, key.alias(), algorithm));
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(request);
            }
            return pem.toString();
        } catch (IOException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "cannot make the platform seal's request: "
                    + e.getMessage(), e);
        }
    }

    private static String keyId(TokenKey key) {
        return Digests.sha256Hex(key.publicKey().getEncoded());
    }

    /** The seal key's alias on the CA token. */
    public String alias() {
        return alias;
    }

    @Override
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public List<X509Certificate> chain() {
        return List.of(certificate, ca.issuing(), ca.root());
    }

    @Override
    public SigningKey signingKey() {
        return signingKey;
    }

    @Override
    public URI timeStampAuthority() {
        return timeStampAuthority;
    }

    /**
     * The issuing CA and the root. The issuing CA is trusted as such, not only through the root: the root's ARL has
     * a critical issuing distribution point without a distribution point name, which validators (DSS) may refuse as
     * revocation data for the issuing CA; trusted directly, the issuing CA needs none.
     */
    @Override
    public List<X509Certificate> trustAnchors() {
        return List.of(ca.issuing(), ca.root());
    }

    /** The seal certificate's serial, as the register knows it. */
    public BigInteger serial() {
        return certificate.getSerialNumber();
    }

    /**
     * A view of the CA token that holds the platform seal key only: what is handed to signers, so that nothing that
     * signs with the platform seal can reach the issuing, OCSP or TSA keys. Closing it leaves the CA token open.
     */
    static final class SealOnlyToken implements Token {
        private final Token token;
        private final String alias;

        SealOnlyToken(Token token, String alias) {
            this.token = token;
            this.alias = alias;
        }

        @Override
        public TokenInfo info() {
            return token.info();
        }

        @Override
        public List<TokenKey> keys() {
            return token.keys().stream().filter(k -> k.alias().equals(alias)).toList();
        }

        @Override
        public TokenKey generateKeyPair(String alias, KeyAlgorithm algorithm) {
            throw refused();
        }

        @Override
        public void importCertificate(String alias, X509Certificate certificate) {
            throw refused();
        }

        @Override
        public Optional<X509Certificate> certificate(String alias) {
            return this.alias.equals(alias) ? token.certificate(alias) : Optional.empty();
        }

        @Override
        public byte[] sign(String alias, SignatureAlgorithm algorithm, byte[] message) {
            return token.sign(only(alias), algorithm, message);
        }

        @Override
        public byte[] signDigest(String alias, SignatureAlgorithm algorithm, byte[] digest) {
            return token.signDigest(only(alias), algorithm, digest);
        }

        @Override
        public void changePin(char[] currentPin, char[] newPin) {
            throw refused();
        }

        @Override
        public void close() {
            // the CA token stays open: it is the CA's
        }

        private String only(String requested) {
            if (!alias.equals(requested)) {
                throw new TokenException(TokenException.Reason.NOT_FOUND, "no key '" + requested + "' here: this"
                        + " token holds the platform seal key '" + alias + "' only");
            }
            return requested;
        }

        private static TokenException refused() {
            return new TokenException(TokenException.Reason.UNSUPPORTED, "the platform seal's token only signs");
        }
    }
}
