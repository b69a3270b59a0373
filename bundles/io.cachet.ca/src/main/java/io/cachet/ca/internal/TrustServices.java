package io.cachet.ca.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.CertificateStatus;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.OcspKey;
import io.cachet.api.ca.RevocationListener;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.ca.TimeStampKey;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;
import io.cachet.api.token.TokenException;

/**
 * The {@link CertificateAuthority} over a {@link CaHierarchy}: issuance and revocation in the database, each in
 * one transaction with its audit record, a CRL kept ready in memory, the status of its certificates, and the keys
 * of the delegated OCSP signer and the time-stamping unit for the OCSP responder and the TSA (bundles of their
 * own). Plain Java: the OSGi component only opens the token and hands the parts in.
 */
public final class TrustServices implements CertificateAuthority {

    private static final Logger LOG = LoggerFactory.getLogger(TrustServices.class);
    private final CaHierarchy ca;
    private final Database database;
    private final AuditLog audit;
    private final SealIssuer issuer;
    private final OcspKey ocspKey;
    private final TimeStampKey tsaKey;
    private final Clock clock;
    private final AtomicReference<X509CRL> crl = new AtomicReference<>();
    private final Object crlLock = new Object();
    /** Revocations committed through this instance; a CRL is current when it was made after the last of them. */
    private final AtomicLong revocations = new AtomicLong();
    /**
     * The value of {@link #revocations} read before the served CRL read its entries; written after {@link #crl}, read
     * before it.
     */
    private volatile long crlCovers = -1;
    /** Told of each revocation in its transaction; none until {@link #tellRevocationsTo}. */
    private volatile Collection<RevocationListener> revocationListeners = List.of();
    /** A kept CRL made "later" than now by more than this is not served again (a clock set back). */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

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

    /**
     * Issues at most once per {@code requestId} (table {@code ca_issue_request}): the request id is claimed by a row
     * inserted with the certificate, in the same transaction, so a concurrent call with the same id waits on that
     * row (PostgreSQL) or fails on its key (H2), its certificate is undone, and it returns the certificate the first
     * call committed. A retry after a crash finds the committed row, or nothing if the first call never committed.
     */
    @Override
    public IssuedCertificate issue(SealCertificateRequest request, String actor, String requestId) {
        requireActor(actor);
        Objects.requireNonNull(request, "request");
        if (requestId == null || requestId.isBlank() || requestId.length() > 128) {
            throw new CaException("requestId must be 1 to 128 characters");
        }
        SealRequest internal = SealRequest.of(request);
        String fingerprint = fingerprint(internal);
        for (int attempt = 1;; attempt++) {
            Optional<IssuedCertificate> done = issuedFor(requestId, fingerprint);
            if (done.isPresent()) {
                return done.get();
            }
            try {
                SealIssuer.Unstored signed = issuer.sign(internal); // before the transaction: see issue(request, actor)
                return database.inSharedTransaction(c -> {
                    X509Certificate cert = issuer.store(signed);
                    // a concurrent claim of the same id fails this insert (H2) or waits for its transaction's end
                    // and fails then (PostgreSQL); the savepoint of the shared transaction undoes the stored
                    // certificate with it. Across nodes, a claim waiting on a transaction that waits on this one's
                    // audit head is a deadlock PostgreSQL breaks within a second: that claim is retried.
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO ca_issue_request (request_id,"
                            + " fingerprint, issuer, actor, created_at, serial) VALUES (?, ?, ?, ?, ?, ?)")) {
                        ps.setString(1, requestId);
                        ps.setString(2, fingerprint);
                        ps.setString(3, JdbcCertificateRepository.issuerId(ca.issuing()));
                        ps.setString(4, actor.length() > 200 ? actor.substring(0, 200) : actor);
                        ps.setObject(5, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                        ps.setString(6, cert.getSerialNumber().toString(16));
                        ps.executeUpdate();
                    }
                    audit.appendAtCommit(AuditEvent.of(actor, "ca.certificate.issued", subject(cert.getSerialNumber()),
                            "profile=" + internal.profile() + "\nsubject=" + cert.getSubjectX500Principal().getName()
                                    + "\nnotAfter=" + cert.getNotAfter().toInstant() + "\nrequestId=" + requestId));
                    return new IssuedCertificate(cert.getSerialNumber(), cert, Optional.empty());
                });
            } catch (TokenException e) {
                throw keyUnavailable(e);
            } catch (StoreException e) {
                // another call claimed this id first (key violation, or a lock wait that timed out): look again
                if (!claimedElsewhere(e) || attempt >= 20) {
                    throw new CaException(CaException.Kind.UNAVAILABLE, "the certificate register cannot be written"
                            + " now: " + e.getMessage(), e);
                }
                pause(attempt);
            }
        }
    }

    /** The certificate already issued for {@code requestId}, if it committed. */
    private Optional<IssuedCertificate> issuedFor(String requestId, String fingerprint) {
        Optional<String[]> row;
        try {
            row = database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT fingerprint, serial FROM ca_issue_request WHERE request_id = ?")) {
                    ps.setString(1, requestId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(new String[] { rs.getString(1), rs.getString(2) })
                                : Optional.<String[]>empty();
                    }
                }
            });
        } catch (StoreException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the certificate register cannot be read now: "
                    + e.getMessage(), e);
        }
        if (row.isEmpty()) {
            return Optional.empty();
        }
        if (!row.get()[0].equals(fingerprint)) {
            throw new CaException(CaException.Kind.CONFLICT, "request id '" + requestId + "' was already used for a"
                    + " different certificate request (another key, subject, profile or validity)");
        }
        BigInteger serial = new BigInteger(row.get()[1], 16);
        return Optional.of(find(serial).orElseThrow(() -> new CaException(CaException.Kind.UNAVAILABLE,
                "request id '" + requestId + "' names serial " + row.get()[1] + ", which is not in the register")));
    }

    /** Whether a failed claim means that another transaction holds or committed the same request id. */
    private static boolean claimedElsewhere(StoreException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = String.valueOf(sql.getSQLState());
                // 23505 unique violation (H2, PostgreSQL); HYT00 / 40001 / 40P01: lock time-out, serialisation, deadlock
                if (state.equals("23505") || state.equals("HYT00") || state.equals("40001")
                        || state.equals("40P01") || sql.getErrorCode() == 50200) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(500, 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaException(CaException.Kind.UNAVAILABLE, "interrupted while waiting for a concurrent issuance");
        }
    }

    /**
     * What makes two requests the same: profile, names, validity and the public key (not the CSR's bytes: a CSR
     * signed again, e.g. with ECDSA, differs but asks for the same certificate).
     *
     * @throws CaException for a CSR that cannot be read
     */
    static String fingerprint(SealRequest r) {
        byte[] key;
        try {
            key = SealIssuer.parseCsr(r.csrPem()).getSubjectPublicKeyInfo().getEncoded();
        } catch (java.io.IOException e) {
            throw new CaException("CSR public key is malformed", e);
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] { r.profile(), r.commonName(), r.organization(),
                    r.organizationIdentifier(), r.country(), Integer.toString(r.years()) }) {
                md.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            md.update(key);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    @Override
    public IssuedCertificate issue(SealCertificateRequest request, String actor) {
        requireActor(actor);
        SealRequest internal = SealRequest.of(request);
        try {
            // signed before, stored with its audit record in a transaction shared with concurrent issuances: each
            // transaction holds the audit chain's head until its commit, so one at a time would pay a commit each
            SealIssuer.Unstored signed = issuer.sign(internal);
            return database.inSharedTransaction(c -> {
                X509Certificate cert = issuer.store(signed);
                audit.appendAtCommit(AuditEvent.of(actor, "ca.certificate.issued", subject(cert.getSerialNumber()),
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
        IssuedCertificate revoked = database.inSharedTransaction(c -> {
            IssuedCertificate r = toIssued(issuer.repository().revoke(serial,
                    new CertificateRepository.Revocation(clock.instant(), reason.code())));
            audit.appendAtCommit(AuditEvent.of(actor, "ca.certificate.revoked", subject(serial), "reason=" + reason.rfcName()));
            tell(c, r, actor);
            return r;
        });
        // committed: the served CRL is out of date from now on, and the next crl() makes a new one. Not made here:
        // a CRL reads every revoked serial, and making one per revocation made a burst of n revocations cost n
        // whole CRLs (n^2 entries) while each revoker waited; n revocations before the next fetch now cost one.
        revocations.incrementAndGet();
        return revoked;
    }

    /**
     * From now on, tells each revocation to the listeners {@code listeners} holds at that moment (a live collection,
     * e.g. the OSGi services bound so far), in the revocation's transaction.
     */
    public void tellRevocationsTo(Collection<RevocationListener> listeners) {
        this.revocationListeners = Objects.requireNonNull(listeners, "listeners");
    }

    /** Each listener in a savepoint of its own: one that fails is undone and logged; the revocation stands. */
    private void tell(Connection c, IssuedCertificate revoked, String actor) throws SQLException {
        for (RevocationListener listener : revocationListeners) {
            Savepoint before = c.setSavepoint();
            try {
                listener.revoked(revoked, actor);
            } catch (RuntimeException e) {
                c.rollback(before);
                LOG.warn("{} failed on the revocation of certificate {} and was undone (the revocation stands): {}",
                        listener.getClass().getName(), revoked.serialHex(), e.toString());
                continue;
            }
            c.releaseSavepoint(before);
        }
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
        boolean current = crlCovers == revocations.get();
        X509CRL served = crl.get();
        if (served != null && current) {
            return served;
        }
        synchronized (crlLock) {
            // callers that waited here while another made the CRL take that one
            X509CRL made = crl.get();
            if (made != null && crlCovers == revocations.get()) {
                return made;
            }
            try {
                return refreshCrl();
            } catch (RuntimeException e) {
                if (made == null) {
                    throw e;
                }
                // the revocations are committed and OCSP already answers revoked; the next crl() or the scheduled
                // refresh tries again
                org.slf4j.LoggerFactory.getLogger(TrustServices.class).error("A revocation is not yet on the CRL:"
                        + " a new CRL could not be made now ({}); the previous one is served", e.getMessage());
                return made;
            }
        }
    }

    /** The CRL served now, without making one; empty before the first. */
    public Optional<X509CRL> currentCrl() {
        return Optional.ofNullable(crl.get());
    }

    /**
     * The CRL to serve from a start: the one the last {@link #refreshCrl} kept in the database while it still says
     * what a new one would (it lists as many entries as there are revoked certificates: revocations are never
     * undone), was made less than {@code refreshPeriod} ago (the scheduled refresh would not have replaced it yet)
     * and its nextUpdate is ahead, and it is intact ({@link #intact}); otherwise a new one ({@link #refreshCrl}). A
     * start used to sign a CRL every time: seconds with 100k revoked certificates, and an audit record per start.
     */
    public X509CRL openCrl(Duration refreshPeriod) {
        synchronized (crlLock) {
            long covers = revocations.get();
            Instant now = clock.instant();
            CertificateRepository repository = issuer.repository();
            CertificateRepository.KeptCrl kept = database.inTransaction(c -> repository.keptCrl()
                    .filter(k -> k.entries() == repository.revokedCount()).orElse(null));
            if (kept != null && kept.nextUpdate().isAfter(now) && kept.thisUpdate().plus(refreshPeriod).isAfter(now)
                    && !kept.thisUpdate().isAfter(now.plus(CLOCK_SKEW)) && intact(kept)) {
                X509CRL served = new EncodedCrl(kept.der(), kept.thisUpdate(), kept.nextUpdate());
                crl.set(served);
                crlCovers = covers;
                return served;
            }
            return refreshCrl();
        }
    }

    /**
     * Whether a kept row holds a CRL this CA signed, dated as the row's columns say (they decide above whether it is
     * served). A row damaged or altered in the database is not served again: a new CRL is made. The CRL is read with
     * BouncyCastle's lazy decoding: its revoked entries stay undecoded, and the signature is checked over the
     * to-be-signed bytes as stored (a CRL of 100k entries: ~10-90 ms, against 0.2-0.5 s when every entry is decoded).
     */
    private boolean intact(CertificateRepository.KeptCrl kept) {
        try (ASN1InputStream in = new ASN1InputStream(kept.der(), true)) {
            ASN1Sequence list = ASN1Sequence.getInstance(in.readObject());
            if (list.size() != 3) {
                throw new IllegalArgumentException("not a CertificateList");
            }
            byte[] tbs = list.getObjectAt(0).toASN1Primitive().getEncoded();
            TBSCertList fields;
            try (ASN1InputStream tbsIn = new ASN1InputStream(tbs, true)) {
                fields = TBSCertList.getInstance(tbsIn.readObject());
            }
            X509Certificate issuing = ca.issuing();
            ContentVerifier verifier = new JcaContentVerifierProviderBuilder().build(issuing)
                    .get(AlgorithmIdentifier.getInstance(list.getObjectAt(1)));
            try (java.io.OutputStream out = verifier.getOutputStream()) {
                out.write(tbs);
            }
            boolean intact = fields.getIssuer().equals(X500Name.getInstance(
                    issuing.getSubjectX500Principal().getEncoded()))
                    && fields.getThisUpdate().getDate().toInstant().equals(kept.thisUpdate())
                    && fields.getNextUpdate() != null
                    && fields.getNextUpdate().getDate().toInstant().equals(kept.nextUpdate())
                    && verifier.verify(ASN1BitString.getInstance(list.getObjectAt(2)).getOctets());
            if (!intact) {
                LOG.warn("The CRL kept in the database (number {}) is not one this CA signed with the dates of its"
                        + " row: a new CRL is made", kept.number());
            }
            return intact;
        } catch (java.io.IOException | org.bouncycastle.operator.OperatorCreationException | RuntimeException e) {
            LOG.warn("The CRL kept in the database (number {}) cannot be read ({}): a new CRL is made",
                    kept.number(), e.getMessage());
            return false;
        }
    }

    /** Makes, audits, keeps and publishes a new CRL. */
    public X509CRL refreshCrl() {
        synchronized (crlLock) {
            // read before the entries: a revocation counted here was committed before they are read
            long covers = revocations.get();
            try {
                X509CRL fresh = database.inTransaction(c -> {
                    // number and entries as made, not read back (getRevokedCertificates() copies every entry into
                    // a sorted set: seconds for 100k entries)
                    SealIssuer.MadeCrl made = issuer.makeCrl();
                    // kept for the next start (openCrl), in the transaction that numbers and audits it
                    issuer.repository().keepCrl(new CertificateRepository.KeptCrl(made.number(),
                            made.crl().getThisUpdate().toInstant(), made.crl().getNextUpdate().toInstant(),
                            made.entries(), made.crl().getEncoded()));
                    audit.append(AuditEvent.of("system", "ca.crl.published", "crl:" + made.number(),
                            "thisUpdate=" + made.crl().getThisUpdate().toInstant() + "\nnextUpdate="
                                    + made.crl().getNextUpdate().toInstant() + "\nentries=" + made.entries()));
                    return made.crl();
                });
                crl.set(fresh);
                crlCovers = covers;
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
        return repository.status(serial).map(s -> new CertificateStatus(serial,
                s.revocation().map(TrustServices::revocation)));
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
        return new IssuedCertificate(e.serial(), e.certificate(), e.revocation().map(TrustServices::revocation));
    }

    private static IssuedCertificate.Revocation revocation(CertificateRepository.Revocation r) {
        return new IssuedCertificate.Revocation(r.time(),
                RevocationReason.ofCode(r.reason()).orElse(RevocationReason.UNSPECIFIED));
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
