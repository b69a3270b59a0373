package io.cachet.ca.launch;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import io.cachet.api.ca.CertificateStatus;
import io.cachet.api.ca.OcspKey;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.ca.TimeStampKey;
import io.cachet.api.store.Database;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenKey;
import io.cachet.ca.internal.CaHierarchy;
import io.cachet.ca.internal.CaSettings;
import io.cachet.ca.internal.CertificateRepository;
import io.cachet.ca.internal.IssuerSettings;
import io.cachet.ca.internal.JdbcCertificateRepository;
import io.cachet.ca.internal.SealIssuer;
import io.cachet.ca.internal.SealRequest;
import io.cachet.ca.internal.TokenContentSigner;
import io.cachet.ca.internal.TrustServices;

/**
 * A CA hierarchy on a token, as the server's key ceremony makes it: root, issuing CA, OCSP signer and TSA, four
 * keys generated on the token (aliases {@code ca-root}, {@code ca-issuing}, {@code ca-ocsp}, {@code ca-tsa}).
 * The token stays the caller's.
 */
public final class LocalCa {

    private final CaHierarchy hierarchy;

    private LocalCa(CaHierarchy hierarchy) {
        this.hierarchy = hierarchy;
    }

    /**
     * The key ceremony on {@code token} with the server's default names and validities (root 20 years, issuing CA
     * 10, OCSP and TSA 5).
     *
     * @param organizationIdentifier ETSI EN 319 412-1, e.g. {@code NTRFR-123456789}
     * @throws io.cachet.api.ca.CertificateAuthorityException for a bad name, identifier or country, saying which
     */
    public static LocalCa create(Token token, String organization, String organizationIdentifier, String country,
            KeyAlgorithm keyAlgorithm) {
        return new LocalCa(CaHierarchy.create(token,
                CaSettings.defaults(organization, organizationIdentifier, country).withKeyAlgorithm(keyAlgorithm)));
    }

    public X509Certificate root() {
        return hierarchy.root();
    }

    public X509Certificate issuing() {
        return hierarchy.issuing();
    }

    /** The OCSP signer's certificate (issued by the issuing CA). */
    public X509Certificate ocspSigner() {
        return hierarchy.ocsp();
    }

    /** The time-stamping unit's certificate (issued by the issuing CA). */
    public X509Certificate timeStampUnit() {
        return hierarchy.tsa();
    }

    /** Issuing CA then root, as the server publishes at {@code /pki/chain.pem}. */
    public List<X509Certificate> chain() {
        return List.of(hierarchy.issuing(), hierarchy.root());
    }

    /** The token alias of the key of {@code role}: {@code root}, {@code issuing}, {@code ocsp} or {@code tsa}. */
    public String keyAlias(String role) {
        return hierarchy.settings().aliasPrefix() + role;
    }

    /**
     * Issuance, revocation, CRL and certificate status of this CA, its certificates recorded in {@code database}
     * (the CA's tables are created there when missing).
     */
    public Issuer issuer(Publication publication, Database database, Clock clock) {
        IssuerSettings settings = new IssuerSettings(publication.publicBaseUrl(), publication.pdsUrl(),
                publication.pdsLanguage(), publication.policyOid(), publication.crlValidity());
        CertificateRepository repository = new JdbcCertificateRepository(database, hierarchy.issuing());
        SealIssuer issuer = new SealIssuer(hierarchy, settings, repository, clock);
        return new Issuer() {
            @Override
            public X509Certificate issue(SealCertificateRequest request) {
                return issuer.issue(SealRequest.of(request));
            }

            @Override
            public void revoke(BigInteger serial, RevocationReason reason) {
                issuer.revoke(serial, reason.code());
            }

            @Override
            public X509CRL crl() {
                return issuer.crl();
            }

            @Override
            public Optional<CertificateStatus> status(BigInteger serial) {
                return TrustServices.status(hierarchy, repository, serial);
            }
        };
    }

    /**
     * The CA service as the server runs it over {@code database}: issuance (idempotent per request id), revocation,
     * CRL and status, each change with its record in {@code audit} (the CA's tables are created when missing).
     *
     * @param tsaPolicyOid the policy of the time-stamping unit, whose certificate {@code status} answers for
     * @since 2.1
     */
    public io.cachet.api.ca.CertificateAuthority authority(Publication publication, String tsaPolicyOid,
            Database database, io.cachet.api.audit.AuditLog audit, Clock clock) {
        return authority(publication, tsaPolicyOid, database, audit, clock, java.util.List.of());
    }

    /**
     * {@link #authority(Publication, String, Database, io.cachet.api.audit.AuditLog, Clock)} that tells each
     * revocation, in its transaction, to the listeners {@code listeners} holds at that moment (a live collection), as
     * the server tells its {@link io.cachet.api.ca.RevocationListener} services.
     *
     * @since 2.3
     */
    public io.cachet.api.ca.CertificateAuthority authority(Publication publication, String tsaPolicyOid,
            Database database, io.cachet.api.audit.AuditLog audit, Clock clock,
            java.util.Collection<io.cachet.api.ca.RevocationListener> listeners) {
        TrustServices services = new TrustServices(hierarchy, new IssuerSettings(publication.publicBaseUrl(),
                publication.pdsUrl(), publication.pdsLanguage(), publication.policyOid(), publication.crlValidity()),
                tsaPolicyOid, database, audit, clock);
        services.tellRevocationsTo(listeners);
        return services;
    }

    /**
     * The delegated OCSP signer's key (alias {@code ca-ocsp}) for an OCSP responder whose answers hold for
     * {@code validity} (the server's default is an hour): hand it, with {@link Issuer#status}, to
     * {@code io.cachet.ca.status.launch.RevocationStatus}.
     *
     * @throws io.cachet.api.ca.CertificateAuthorityException when {@code validity} is not positive
     */
    public OcspKey ocspKey(Duration validity) {
        return hierarchy.ocspKey(validity);
    }

    /**
     * The time-stamping unit's key (alias {@code ca-tsa}) for an RFC 3161 TSA whose tokens are issued under
     * {@code policyOid}: hand it to {@code io.cachet.tsa.launch.TimeStamping}.
     *
     * @throws io.cachet.api.ca.CertificateAuthorityException when {@code policyOid} is not an OID
     */
    public TimeStampKey timeStampKey(String policyOid) {
        return hierarchy.timeStampKey(policyOid);
    }

    /** A PEM PKCS#10 request for the key pair {@code alias} on {@code token}, signed there (proof of possession). */
    public static String certificationRequest(Token token, String alias, SignatureAlgorithm algorithm) {
        TokenKey key = token.keys().stream().filter(k -> k.alias().equals(alias)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no key pair " + alias + " on the token"));
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), key.publicKey())
                    .build(new TokenContentSigner(token, alias, algorithm)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
