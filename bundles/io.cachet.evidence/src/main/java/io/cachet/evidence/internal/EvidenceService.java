package io.cachet.evidence.internal;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.issuance.EvidenceFiles;
import io.cachet.api.issuance.EvidenceInfo;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.Digests;
import io.cachet.api.store.Columns;
import io.cachet.api.store.Database;
import io.cachet.api.store.DueRows;

/**
 * The orders' evidence files, as plain Java.
 *
 * <p>An order whose certificate is issued gets a row in {@code evidence_file} in its transition out of ISSUANCE ({@link
 * #enqueue}): nothing is lost if the node stops before the file is made. A worker takes a due row (a {@link DueRows}
 * claim that moves it forward by the lease, so that another node leaves it alone and takes it over if this one dies),
 * gathers the sections ({@link Sources}), writes the PDF ({@link EvidencePdf}), has the platform seal it at PAdES-LTA
 * ({@link Sealer}) and stores it encrypted ({@link DataKeyCipher}: a data key per file, purpose {@value #KEY_PURPOSE},
 * each version bound to its order and version by {@link #fileAad}); a failure (a source, the seal or the TSA
 * unavailable) is retried after a back-off. The re-timestamping job takes the files whose newest archive time-stamp's
 * TSA certificate ends within the margin, and adds an archive time-stamp (a new version; an update that lost a race
 * with another node changes nothing). Every change is audited (subject {@code order:<id>}).
 */
final class EvidenceService implements EvidenceFiles {

    private static final Logger LOG = LoggerFactory.getLogger(EvidenceService.class);
    static final String ACTOR = "system";
    /** The vault purpose the files' data keys are sealed under. Stored keys are: never change it. */
    static final String KEY_PURPOSE = "evidence.file-key";

    /** Timing of the jobs. */
    record Settings(Duration lease, Duration initialBackoff, Duration maxBackoff, Duration margin,
            Duration minimumInterval) {
        Settings {
            if (lease.isNegative() || lease.isZero() || initialBackoff.isNegative() || initialBackoff.isZero()
                    || maxBackoff.compareTo(initialBackoff) < 0 || margin.isNegative() || minimumInterval.isNegative()
                    || minimumInterval.isZero()) {
                throw new IllegalArgumentException("evidence timing needs a positive lease, 0 < initial back-off <="
                        + " maximum back-off, a margin of 0 or more and a positive minimum interval");
            }
        }

        Duration backoff(int failures) {
            long millis = initialBackoff.toMillis();
            for (int i = 1; i < failures && millis < maxBackoff.toMillis(); i++) {
                millis *= 2;
            }
            return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
        }
    }

    private final Database database;
    private final AuditLog audit;
    private final DataKeyCipher cipher;
    private final Supplier<Sources> sources;
    private final Supplier<Sealer> sealer;
    private final Supplier<Settings> settings;
    private final Clock clock;
    private final Path temp;

    /** @param cipher the file cipher, on purpose {@value #KEY_PURPOSE} */
    EvidenceService(Database database, AuditLog audit, DataKeyCipher cipher, Supplier<Sources> sources,
            Supplier<Sealer> sealer, Supplier<Settings> settings, Clock clock, Path temp) {
        this.database = Objects.requireNonNull(database);
        this.audit = Objects.requireNonNull(audit);
        this.cipher = Objects.requireNonNull(cipher);
        if (!KEY_PURPOSE.equals(cipher.purpose())) {
            throw new IllegalArgumentException("The evidence file cipher must seal its keys for " + KEY_PURPOSE);
        }
        this.sources = sources;
        this.sealer = sealer;
        this.settings = settings;
        this.clock = clock;
        this.temp = temp;
    }

    /**
     * What binds an evidence file's content to its order and version, so that a blob moved to another order or
     * version does not open. Stored blobs carry it: never change it.
     */
    static byte[] fileAad(String orderId, int version) {
        return ("cachet.evidence.v1|" + orderId + "|" + version).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] encrypt(byte[] sealedKey, String orderId, int version, byte[] pdf) {
        return cipher.encrypt(sealedKey, "the evidence file of order " + orderId, fileAad(orderId, version), pdf);
    }

    private byte[] decrypt(byte[] sealedKey, String orderId, int version, byte[] blob) {
        return cipher.decrypt(sealedKey, "the evidence file of order " + orderId, fileAad(orderId, version), blob);
    }

    static void migrate(Database database) {
        database.migrate("evidence", EvidenceService.class.getClassLoader(), "db/evidence");
    }

    /** Records that the order's evidence file is to be made; joins the caller's transaction. Idempotent. */
    void enqueue(String orderId) {
        Instant now = now();
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM evidence_file WHERE id = ?")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return null;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO evidence_file (id, status, next_attempt_at,"
                    + " attempts, version, timestamps) VALUES (?, 'PENDING', ?, 0, 0, 0)")) {
                ps.setString(1, orderId);
                ps.setObject(2, time(now));
                ps.executeUpdate();
            }
            audit.append(AuditEvent.of(ACTOR, "evidence.queued", subject(orderId), ""));
            return null;
        });
    }

    // ---- making

    /** Takes one due evidence file to make, if any, and makes it. @return whether one was taken */
    boolean runDue() {
        Instant now = now();
        Optional<String[]> taken = database.inTransaction(c -> {
            Optional<String[]> row = DueRows.claimOldest(c, database.product(), "evidence_file", "id, attempts", now,
                    rs -> new String[] { rs.getString(1), Integer.toString(rs.getInt(2) + 1) });
            if (row.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE evidence_file SET next_attempt_at = ?,"
                        + " attempts = attempts + 1 WHERE id = ?")) {
                    ps.setObject(1, time(now.plus(settings.get().lease())));
                    ps.setString(2, row.get()[0]);
                    ps.executeUpdate();
                }
            }
            return row;
        });
        if (taken.isEmpty()) {
            return false;
        }
        String id = taken.get()[0];
        int attempt = Integer.parseInt(taken.get()[1]);
        try {
            make(id);
        } catch (RuntimeException e) {
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            Duration wait = settings.get().backoff(attempt);
            LOG.warn("Order {}: the evidence file could not be made (attempt {}), next in {} s: {}", id, attempt,
                    wait.toSeconds(), why);
            try {
                database.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE evidence_file SET next_attempt_at = ?,"
                            + " last_error = ? WHERE id = ? AND status = 'PENDING'")) {
                        ps.setObject(1, time(now().plus(wait)));
                        ps.setString(2, clip(why));
                        ps.setString(3, id);
                        ps.executeUpdate();
                    }
                    audit.append(AuditEvent.of(ACTOR, "evidence.retry", subject(id), "attempt=" + attempt + "; reason="
                            + why));
                    return null;
                });
            } catch (RuntimeException again) {
                LOG.warn("Order {}: could not record the failed attempt: {}", id, again.toString());
            }
        }
        return true;
    }

    private void make(String id) {
        Sources s = sources.get();
        Sealer seal = sealer.get();
        if (s == null || seal == null) {
            throw new IllegalStateException("the platform seal or the order's sources are not available");
        }
        Collected collected = s.collect(id);
        Instant at = now();
        Path unsigned = null;
        Path signed = null;
        try {
            Files.createDirectories(temp);
            unsigned = Files.createTempFile(temp, "evidence-", ".pdf");
            signed = Files.createTempFile(temp, "evidence-", ".sealed.pdf");
            EvidencePdf.write(unsigned, id, collected, at);
            seal.seal(unsigned, signed);
            byte[] pdf = Files.readAllBytes(signed);
            EvidencePdf.Timestamps ts = EvidencePdf.timestamps(signed);
            byte[] key = cipher.newSealedKey();
            byte[] blob = encrypt(key, id, 1, pdf);
            String sha = Digests.sha256Hex(pdf);
            List<String> names = collected.sections().stream().map(Section::name).toList();
            boolean stored = database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE evidence_file SET status = 'DONE', version = 1,"
                        + " sealed_key = ?, content = ?, size = ?, sha256 = ?, sections = ?, missing = ?, created_at = ?,"
                        + " timestamped_at = ?, timestamp_valid_until = ?, timestamps = ?, next_timestamp_at = ?,"
                        + " last_error = NULL WHERE id = ? AND status = 'PENDING'")) {
                    ps.setBytes(1, key);
                    ps.setBytes(2, blob);
                    ps.setLong(3, pdf.length);
                    ps.setString(4, sha);
                    ps.setString(5, String.join("\n", names));
                    ps.setString(6, String.join("\n", collected.missing()));
                    ps.setObject(7, time(at));
                    ps.setObject(8, ts.lastTime() == null ? time(at) : time(ts.lastTime()));
                    ps.setObject(9, ts.lastTsaValidUntil().map(Columns::time).orElse(null));
                    ps.setInt(10, ts.count());
                    ps.setObject(11, time(nextTimestamp(ts, now())));
                    ps.setString(12, id);
                    if (ps.executeUpdate() == 0) {
                        return false; // another node made it first
                    }
                }
                audit.append(AuditEvent.of(ACTOR, "evidence.sealed", subject(id), "sha256=" + sha + "; sections="
                        + names.size() + "; missing=" + collected.missing().size()));
                return true;
            });
            if (stored) {
                LOG.info("Order {}: evidence file sealed ({} sections, {} missing)", id, names.size(),
                        collected.missing().size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evidence file: " + e.getMessage(), e);
        } finally {
            delete(unsigned);
            delete(signed);
        }
    }

    private Instant nextTimestamp(EvidencePdf.Timestamps ts, Instant now) {
        Settings s = settings.get();
        Instant earliest = now.plus(s.minimumInterval());
        Instant due = ts.lastTsaValidUntil().map(v -> v.minus(s.margin())).orElse(earliest);
        return due.isBefore(earliest) ? earliest : due;
    }

    // ---- archive time-stamps

    @Override
    public EvidenceInfo timestamp(String orderId) {
        return timestamp(orderId, ACTOR);
    }

    /** Adds an archive time-stamp now, audited with {@code actor}. */
    EvidenceInfo timestamp(String orderId, String actor) {
        Stored s = stored(orderId).orElseThrow(() -> notFound(orderId));
        Sealer seal = sealer.get();
        if (seal == null) {
            throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, "The platform seal is not available now;"
                    + " try again later.");
        }
        Path in = null;
        Path out = null;
        try {
            Files.createDirectories(temp);
            in = Files.createTempFile(temp, "evidence-", ".pdf");
            out = Files.createTempFile(temp, "evidence-", ".lta.pdf");
            Files.write(in, decrypt(s.sealedKey(), orderId, s.version(), s.content()));
            try {
                seal.extend(in, out);
            } catch (RuntimeException e) {
                throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, "The archive time-stamp could not be"
                        + " added now: " + e.getMessage(), e);
            }
            byte[] pdf = Files.readAllBytes(out);
            EvidencePdf.Timestamps ts = EvidencePdf.timestamps(out);
            int version = s.version() + 1;
            byte[] blob = encrypt(s.sealedKey(), orderId, version, pdf);
            String sha = Digests.sha256Hex(pdf);
            Instant now = now();
            database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE evidence_file SET version = ?, content = ?,"
                        + " size = ?, sha256 = ?, timestamped_at = ?, timestamp_valid_until = ?, timestamps = ?,"
                        + " next_timestamp_at = ? WHERE id = ? AND version = ?")) {
                    ps.setInt(1, version);
                    ps.setBytes(2, blob);
                    ps.setLong(3, pdf.length);
                    ps.setString(4, sha);
                    ps.setObject(5, time(ts.lastTime() == null ? now : ts.lastTime()));
                    ps.setObject(6, ts.lastTsaValidUntil().map(Columns::time).orElse(null));
                    ps.setInt(7, ts.count());
                    ps.setObject(8, time(nextTimestamp(ts, now)));
                    ps.setString(9, orderId);
                    ps.setInt(10, s.version());
                    if (ps.executeUpdate() == 0) {
                        return null; // another node added one meanwhile: keep theirs
                    }
                }
                audit.append(AuditEvent.of(actor, "evidence.timestamped", subject(orderId), "version=" + version
                        + "; sha256=" + sha + "; timestamps=" + ts.count()));
                return null;
            });
            return find(orderId).orElseThrow(() -> notFound(orderId));
        } catch (IOException e) {
            throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, "The evidence file could not be"
                    + " written: " + e.getMessage(), e);
        } finally {
            delete(in);
            delete(out);
        }
    }

    /** Re-timestamps the files whose turn has come, each claimed by a conditional update (the lease). */
    int retimestampDue(int max) {
        Instant now = now();
        List<String> due = database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM evidence_file WHERE status = 'DONE' AND"
                    + " next_timestamp_at <= ? ORDER BY next_timestamp_at, id FETCH FIRST " + max + " ROWS ONLY")) {
                ps.setObject(1, time(now));
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
        int done = 0;
        for (String id : due) {
            boolean mine = database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE evidence_file SET next_timestamp_at = ? WHERE"
                        + " id = ? AND status = 'DONE' AND next_timestamp_at <= ?")) {
                    ps.setObject(1, time(now.plus(settings.get().lease())));
                    ps.setString(2, id);
                    ps.setObject(3, time(now));
                    return ps.executeUpdate() == 1;
                }
            });
            if (!mine) {
                continue;
            }
            try {
                timestamp(id, ACTOR);
                done++;
            } catch (RuntimeException e) {
                LOG.warn("Order {}: the evidence file could not be re-timestamped; tried again after the lease: {}",
                        id, e.toString());
            }
        }
        return done;
    }

    // ---- reading

    @Override
    public Optional<EvidenceInfo> find(String orderId) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT size, sha256, sections, missing, created_at,"
                    + " timestamped_at, timestamp_valid_until, timestamps FROM evidence_file WHERE id = ? AND status"
                    + " = 'DONE'")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new EvidenceInfo(orderId, "evidence-" + orderId + ".pdf", rs.getLong(1),
                            rs.getString(2), lines(rs.getString(3)), lines(rs.getString(4)), instant(rs, 5),
                            instant(rs, 6), Optional.ofNullable(instant(rs, 7)), rs.getInt(8)));
                }
            }
        });
    }

    @Override
    public InputStream open(String orderId) {
        Stored s = stored(orderId).orElseThrow(() -> notFound(orderId));
        try {
            return new ByteArrayInputStream(decrypt(s.sealedKey(), orderId, s.version(), s.content()));
        } catch (IllegalStateException e) {
            throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, e.getMessage(), e);
        }
    }

    /** {@link #open}, the download audited with {@code actor}. */
    InputStream open(String orderId, String actor) {
        InputStream in = open(orderId);
        audit.append(AuditEvent.of(actor, "evidence.downloaded", subject(orderId), ""));
        return in;
    }

    /** Where the making of the order's file stands (for operators): null when none is queued. */
    String pendingError(String orderId) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT status, last_error FROM evidence_file WHERE id = ?")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) + (rs.getString(2) == null ? "" : ": " + rs.getString(2)) : null;
                }
            }
        });
    }

    private record Stored(int version, byte[] sealedKey, byte[] content) {
    }

    private Optional<Stored> stored(String orderId) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT version, sealed_key, content FROM evidence_file"
                    + " WHERE id = ? AND status = 'DONE'")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Stored(rs.getInt(1), rs.getBytes(2), rs.getBytes(3)))
                            : Optional.empty();
                }
            }
        });
    }

    private static IssuanceException notFound(String orderId) {
        return new IssuanceException(IssuanceException.Kind.NOT_FOUND, "Order "
                + (orderId.length() > 40 ? orderId.substring(0, 40) + "…" : orderId) + " has no evidence file (yet).");
    }

    private static List<String> lines(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.debug("Could not delete {}: {}", p, e.toString());
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static String subject(String orderId) {
        return "order:" + orderId;
    }

    private static String clip(String s) {
        return s == null ? null : s.length() <= 1000 ? s : s.substring(0, 999) + "…";
    }
}
