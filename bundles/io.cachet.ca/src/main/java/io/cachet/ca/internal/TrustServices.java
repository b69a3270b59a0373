package io.cachet.ca.internal;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.CertificateStatus;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.OcspKey;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.ca.TimeStampKey;
import io.cachet.api.store.Database;
import io.cachet.api.token.TokenException;

/**
 * The {@link CertificateAuthority} over a {@link CaHierarchy}: issuance and revocation in the database, each in
 * one transaction with its audit record, a CRL kept ready in memory, the status of its certificates, and the keys
 * of the delegated OCSP signer and the time-stamping unit for the OCSP responder and the TSA (bundles of their
 * own). Plain Java: the OSGi component only opens the token and hands the parts in.
 */
public final class TrustServices implements CertificateAuthority {

    private final CaHierarchy ca;
    private final Database database;
    private final AuditLog audit;
    private final SealIssuer issuer;
    private final OcspKey ocspKey;
    private final TimeStampKey tsaKey;
    private final Clock clock;
    private final AtomicReference<X509CRL> crl = new AtomicReference<>();
    private final Object crlLock = new Object();

    public TrustServices(CaHierarchy ca, IssuerSettings settings, String tsaPolicyOid, Database database,
            AuditLog audit, Clock clock) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.database = Objects.requireNonNull(database, "database");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        CertificateRepository repository = new JdbcCertificateRepository(database, ca.issuing());
        this.issuer = new SealIssuer(ca, settings, repository, clock);
        this.ocspKey = ca.ocspKey(settings.ocspValidity());
        this.tsaKey = ca.timeStampKey(tsaPolicyOid);
    }

    @Override
    public IssuedCertificate issue(SealCertificateRequest request, String actor, String requestId) {
        throw new UnsupportedOperationException("idempotent issuance: not yet");
    }

    @Override
    public IssuedCertificate issue(SealCertificateRequest request, String actor) {
        requireActor(actor);
        SealRequest internal = SealRequest.of(request);
        try {
            return database.inTransaction(c -> {
                X509Certificate cert = issuer.issue(internal);
                audit.append(AuditEvent.of(actor, "ca.certificate.issued", subject(cert.getSerialNumber()),
                        "profile=" + internal.profile() + "\nsubject=" + cert.getSubjectX500Principal().getName()
                                + "\nnotAfter=" + cert.getNotAfter().toInstant()));
                return new IssuedCertificate(cert.getSerialNumber(), cert, Optional.empty());
            });
        } catch (TokenException e) {
            throw keyUnavailable(e);
        }
    }

    @Override
    public IssuedCertificate revoke(BigInteger serial, RevocationReason reason, String actor) {
        requireActor(actor);
        Objects.requireNonNull(reason, "reason");
        CertificateRepository.Entry entry = database.inTransaction(c -> {
            CertificateRepository.Entry e = issuer.repository().revoke(serial,
                    new CertificateRepository.Revocation(clock.instant(), reason.code()));
            audit.append(AuditEvent.of(actor, "ca.certificate.revoked", subject(serial), "reason=" + reason.rfcName()));
            return e;
        });
        // the revocation is committed: a CRL that cannot be made now is made by the next scheduled refresh
        try {
            refreshCrl();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(TrustServices.class)
                    .error("Serial {} is revoked but the CRL could not be regenerated now: {}", serial.toString(16),
                            e.getMessage());
        }
        return toIssued(entry);
    }

    @Override
    public Optional<IssuedCertificate> find(BigInteger serial) {
        return issuer.repository().find(serial).map(TrustServices::toIssued);
    }

    @Override
    public List<X509Certificate> chain() {
        return List.of(ca.issuing(), ca.root());
    }

    @Override
    public X509CRL crl() {
        X509CRL current = crl.get();
        return current != null ? current : refreshCrl();
    }

    /** The CRL served now, without making one; empty before the first. */
    public Optional<X509CRL> currentCrl() {
        return Optional.ofNullable(crl.get());
    }

    /** Makes, audits and publishes a new CRL. */
    public X509CRL refreshCrl() {
        synchronized (crlLock) {
            try {
                X509CRL fresh = database.inTransaction(c -> {
                    X509CRL made = issuer.crl();
                    BigInteger number = org.bouncycastle.asn1.ASN1Integer.getInstance(org.bouncycastle.asn1.ASN1OctetString
                            .getInstance(made.getExtensionValue(org.bouncycastle.asn1.x509.Extension.cRLNumber.getId()))
                            .getOctets()).getValue(); // the extension holds a DER INTEGER: audit its value, not its bytes
                    audit.append(AuditEvent.of("system", "ca.crl.published", "crl:" + number,
                            "thisUpdate=" + made.getThisUpdate().toInstant() + "\nnextUpdate="
                                    + made.getNextUpdate().toInstant() + "\nentries="
                                    + (made.getRevokedCertificates() == null ? 0
                                            : made.getRevokedCertificates().size())));
                    return made;
                });
                crl.set(fresh);
                return fresh;
            } catch (TokenException e) {
                throw keyUnavailable(e);
            }
        }
    }

    @Override
    public Optional<CertificateStatus> status(BigInteger serial) {
        return status(ca, issuer.repository(), serial);
    }

    /**
     * The status of {@code serial} among the certificates {@code ca} issued: those in the repository, and its own
     * TSA certificate (not in the repository of issued seals; good while the CA runs).
     */
    public static Optional<CertificateStatus> status(CaHierarchy ca, CertificateRepository repository, BigInteger serial) {
        if (serial.equals(ca.tsa().getSerialNumber())) {
            return Optional.of(new CertificateStatus(serial, Optional.empty()));
        }
        return repository.find(serial).map(e -> new CertificateStatus(serial, toIssued(e).revocation()));
    }

    /** The delegated OCSP signer's key, with the configured OCSP validity (the status bundle signs with it). */
    public OcspKey ocspKey() {
        return ocspKey;
    }

    /** The time-stamping unit's key, with the configured TSA policy (the TSA bundle signs with it). */
    public TimeStampKey timeStampKey() {
        return tsaKey;
    }

    /** The hierarchy behind the services (root, issuing CA, OCSP and TSA certificates). */
    public CaHierarchy hierarchy() {
        return ca;
    }

    private static IssuedCertificate toIssued(CertificateRepository.Entry e) {
        return new IssuedCertificate(e.serial(), e.certificate(), e.revocation().map(r -> new IssuedCertificate.Revocation(
                r.time(), RevocationReason.ofCode(r.reason()).orElse(RevocationReason.UNSPECIFIED))));
    }

    private static String subject(BigInteger serial) {
        return "certificate:" + serial.toString(16);
    }

    private static void requireActor(String actor) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("an actor is required for the audit log");
        }
    }

    private static CaException keyUnavailable(TokenException e) {
        return new CaException(CaException.Kind.UNAVAILABLE, "the CA key cannot be used now (" + e.reason() + "): "
                + e.getMessage(), e);
    }
}
