package io.cachet.ca.internal;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.cachet.api.security.Digests;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;

/**
 * {@link CertificateRepository} over the {@code ca_certificate} table, scoped to one issuing CA. Writes join
 * the caller's transaction (see {@link Database#inTransaction}), so an issuance and its audit record commit or
 * roll back together.
 */
public final class JdbcCertificateRepository implements CertificateRepository {

    private static final String COLUMNS = "serial, der, revoked_at, revocation_reason";
    /** The revoked rows of an issuer (issuer, then the epoch): the range H2 walks on (issuer, revoked_at). */
    private static final String REVOKED_ROWS = " FROM ca_certificate WHERE issuer = ? AND revoked_at >= ?";
    /**
     * The CRL's entries. "revoked_at >= epoch" rather than "IS NOT NULL" (the same rows: no revocation predates
     * 1970): H2 cannot walk the index (issuer, revoked_at) for IS NOT NULL and read every certificate of the issuer
     * through the primary key instead (10k revoked among 100k: 8 to 22 s per CRL); a range it walks. Ordered by
     * revoked_at alone, the index's order: a second sort key made H2 sort every row again, on disk beyond 40,000.
     */
    static final String REVOKED = "SELECT serial, revoked_at, revocation_reason" + REVOKED_ROWS
            + " ORDER BY revoked_at";

    private static final String INSERT = "INSERT INTO ca_certificate (issuer, serial, subject, not_before, not_after,"
            + " der) VALUES (?, ?, ?, ?, ?, ?)";

    /** At most this many serials per status statement (OCSP requests answered at the same moment). */
    static final int STATUS_BATCH = 32;

    private final Database database;
    /** The certificate's insert; on PostgreSQL a clash does nothing (see {@link #add}). */
    private final String insert;
    private final String issuer;
    /** Runs before each shared status read: a test holds one there; nothing in production. */
    private volatile Runnable beforeSharedRead = () -> {
    };
    private final CombinedReads<String, StatusRow> statusReads = new CombinedReads<>(serials -> {
        beforeSharedRead.run();
        return statuses(serials);
    }, STATUS_BATCH);

    /**
     * Applies the module's migrations, so the tables exist once this returns.
     *
     * @param issuing the issuing CA whose certificates this repository keeps
     */
    public JdbcCertificateRepository(Database database, X509Certificate issuing) {
        this.database = Objects.requireNonNull(database, "database");
        this.insert = "PostgreSQL".equals(database.product()) ? INSERT + " ON CONFLICT DO NOTHING" : INSERT;
        this.issuer = issuerId(issuing);
        database.migrate("ca", JdbcCertificateRepository.class.getClassLoader(), "db/ca");
    }

    static String issuerId(X509Certificate issuing) {
        try {
            return Digests.sha256Hex(issuing.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint the issuing CA", e);
        }
    }

    @Override
    public void add(X509Certificate certificate) {
        String serial = certificate.getSerialNumber().toString(16);
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new CaException("certificate cannot be encoded", e);
        }
        try {
            database.inTransaction(c -> {
                // the primary key refuses a serial issued before: no look-up first (a round trip per issuance). On
                // PostgreSQL a failed statement would abort the caller's whole transaction, where SealIssuer draws
                // another serial: there the clash does nothing instead, and says so by its count of rows.
                try (PreparedStatement ps = c.prepareStatement(insert)) {
                    ps.setString(1, issuer);
                    ps.setString(2, serial);
                    ps.setString(3, truncate(certificate.getSubjectX500Principal().getName(), 1000));
                    ps.setObject(4, utc(certificate.getNotBefore()));
                    ps.setObject(5, utc(certificate.getNotAfter()));
                    ps.setBytes(6, der);
                    if (ps.executeUpdate() == 0) {
                        throw alreadyIssued(serial);
                    }
                } catch (SQLException e) {
                    if (StoreException.isUniqueViolation(e)) {
                        throw alreadyIssued(serial); // H2: only the statement failed, the transaction goes on
                    }
                    throw e;
                }
                return null;
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    private static CaException alreadyIssued(String serial) {
        return new CaException(CaException.Kind.CONFLICT, "serial " + serial + " already issued");
    }

    @Override
    public Optional<Entry> find(BigInteger serial) {
        try {
            return database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM ca_certificate WHERE issuer = ? AND serial = ?")) {
                    ps.setString(1, issuer);
                    ps.setString(2, serial.toString(16));
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(entry(rs)) : Optional.<Entry>empty();
                    }
                }
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<Status> status(BigInteger serial) {
        String hex = serial.toString(16);
        // a transaction's read must see its own changes: alone, in that transaction
        StatusRow row = database.inTransactionNow() ? statuses(List.of(hex)).get(hex) : statusReads.get(hex);
        return Optional.ofNullable(row).map(r -> r.toStatus(serial));
    }

    /** For tests: what runs before each shared status read. */
    void beforeSharedRead(Runnable hook) {
        this.beforeSharedRead = hook;
    }

    /** For tests: how many status look-ups wait for a shared read now. */
    int queuedStatusReads() {
        return statusReads.queuedCount();
    }

    /** A certificate's revocation columns. */
    private record StatusRow(OffsetDateTime revokedAt, int reason) {
        Status toStatus(BigInteger serial) {
            return new Status(serial, revokedAt == null ? Optional.empty()
                    : Optional.of(new Revocation(revokedAt.toInstant(), reason)));
        }
    }

    /**
     * The rows of these serials (hexadecimal, distinct) in one statement, without a transaction: one round trip
     * to PostgreSQL. The list of parameters is padded (the last serial repeated) to a power of two, so that a
     * database keeps a handful of prepared statements, not one per batch size.
     */
    private Map<String, StatusRow> statuses(List<String> serials) {
        int slots = Integer.highestOneBit(serials.size());
        if (slots < serials.size()) {
            slots <<= 1;
        }
        StringBuilder sql = new StringBuilder(
                // no der: decoding the certificate was ~4 % of an OCSP answer's CPU and the status needs none of it
                "SELECT serial, revoked_at, revocation_reason FROM ca_certificate WHERE issuer = ? AND serial ");
        sql.append(slots == 1 ? "= ?" : "IN (?" + ", ?".repeat(slots - 1) + ")");
        int n = slots;
        try {
            return database.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    ps.setString(1, issuer);
                    for (int i = 0; i < n; i++) {
                        ps.setString(i + 2, serials.get(Math.min(i, serials.size() - 1)));
                    }
                    Map<String, StatusRow> rows = new HashMap<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.put(rs.getString(1), new StatusRow(rs.getObject(2, OffsetDateTime.class), rs.getInt(3)));
                        }
                    }
                    return rows;
                }
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Entry revoke(BigInteger serial, Revocation revocation) {
        String hex = serial.toString(16);
        try {
            return database.inTransaction(c -> {
                Entry current = locked(c, hex).orElseThrow(() -> new CaException(CaException.Kind.NOT_FOUND,
                        "serial " + hex + " was not issued by this CA"));
                if (current.revocation().isPresent()) {
                    throw new CaException(CaException.Kind.CONFLICT, "serial " + hex + " is already revoked");
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE ca_certificate SET revoked_at = ?,"
                        + " revocation_reason = ? WHERE issuer = ? AND serial = ? AND revoked_at IS NULL")) {
                    ps.setObject(1, revocation.time().atOffset(ZoneOffset.UTC));
                    ps.setInt(2, revocation.reason());
                    ps.setString(3, issuer);
                    ps.setString(4, hex);
                    ps.executeUpdate();
                }
                return new Entry(serial, current.certificate(), Optional.of(revocation));
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    private Optional<Entry> locked(Connection c, String hex) throws SQLException {
        // FOR UPDATE: two operators revoking at once get one success and one CONFLICT
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM ca_certificate WHERE issuer = ? AND serial = ? FOR UPDATE")) {
            ps.setString(1, issuer);
            ps.setString(2, hex);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<Revoked> revoked() {
        try {
            return database.inTransaction(c -> {
                List<Revoked> result = new ArrayList<>();
                // serial, time and reason only: decoding every revoked certificate (as this once did) cost more
                // than signing the CRL, and held all their DER in memory
                try (PreparedStatement ps = c.prepareStatement(REVOKED)) {
                    ps.setString(1, issuer);
                    ps.setObject(2, Instant.EPOCH.atOffset(ZoneOffset.UTC));
                    ps.setFetchSize(1000);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            result.add(new Revoked(new BigInteger(rs.getString(1), 16), new Revocation(
                                    rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getInt(3))));
                        }
                    }
                }
                return result;
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public BigInteger nextCrlNumber() {
        try {
            return database.inTransaction(c -> {
                long next;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT crl_number FROM ca_crl_number WHERE issuer = ? FOR UPDATE")) {
                    ps.setString(1, issuer);
                    try (ResultSet rs = ps.executeQuery()) {
                        next = rs.next() ? rs.getLong(1) + 1 : -1;
                    }
                }
                if (next < 0) {
                    next = 1;
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO ca_crl_number (issuer, crl_number) VALUES (?, ?)")) {
                        ps.setString(1, issuer);
                        ps.setLong(2, next);
                        ps.executeUpdate();
                    }
                } else {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE ca_crl_number SET crl_number = ? WHERE issuer = ?")) {
                        ps.setLong(1, next);
                        ps.setString(2, issuer);
                        ps.executeUpdate();
                    }
                }
                return BigInteger.valueOf(next);
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public long revokedCount() {
        try {
            return database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*)" + REVOKED_ROWS)) {
                    ps.setString(1, issuer);
                    ps.setObject(2, Instant.EPOCH.atOffset(ZoneOffset.UTC));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void keepCrl(KeptCrl crl) {
        try {
            database.inTransaction(c -> {
                // one row per issuer; CRLs of an issuer are made one at a time (the ca_crl_number row is locked
                // from the number to the commit), so the last written is the newest
                int updated;
                try (PreparedStatement ps = c.prepareStatement("UPDATE ca_crl SET crl_number = ?, this_update = ?,"
                        + " next_update = ?, entries = ?, der = ? WHERE issuer = ?")) {
                    keptValues(ps, crl);
                    ps.setString(6, issuer);
                    updated = ps.executeUpdate();
                }
                if (updated == 0) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO ca_crl (crl_number, this_update,"
                            + " next_update, entries, der, issuer) VALUES (?, ?, ?, ?, ?, ?)")) {
                        keptValues(ps, crl);
                        ps.setString(6, issuer);
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    private static void keptValues(PreparedStatement ps, KeptCrl crl) throws SQLException {
        ps.setLong(1, crl.number().longValueExact());
        ps.setObject(2, crl.thisUpdate().atOffset(ZoneOffset.UTC));
        ps.setObject(3, crl.nextUpdate().atOffset(ZoneOffset.UTC));
        ps.setLong(4, crl.entries());
        ps.setBytes(5, crl.der());
    }

    @Override
    public Optional<KeptCrl> keptCrl() {
        try {
            return database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT crl_number, this_update, next_update, entries,"
                        + " der FROM ca_crl WHERE issuer = ?")) {
                    ps.setString(1, issuer);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.<KeptCrl>empty();
                        }
                        return Optional.of(new KeptCrl(BigInteger.valueOf(rs.getLong(1)),
                                rs.getObject(2, OffsetDateTime.class).toInstant(),
                                rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getLong(4), rs.getBytes(5)));
                    }
                }
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        BigInteger serial = new BigInteger(rs.getString(1), 16);
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(rs.getBytes(2)));
        } catch (CertificateException e) {
            throw new SQLException("stored certificate " + serial.toString(16) + " cannot be decoded", e);
        }
        OffsetDateTime revokedAt = rs.getObject(3, OffsetDateTime.class);
        Optional<Revocation> revocation = revokedAt == null ? Optional.empty()
                : Optional.of(new Revocation(revokedAt.toInstant(), rs.getInt(4)));
        return new Entry(serial, cert, revocation);
    }

    private static OffsetDateTime utc(java.util.Date date) {
        return date.toInstant().atOffset(ZoneOffset.UTC);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static CaException unavailable(StoreException e) {
        return new CaException(CaException.Kind.UNAVAILABLE, "the certificate store cannot be reached: "
                + e.getMessage(), e);
    }
}
