package io.cachet.audit.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditVerification;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.audit.internal.AnchorJournal;
import io.cachet.audit.internal.JdbcAuditLog;
import io.cachet.audit.internal.LocalAnchorSigner;

/** The audit log of a data directory, outside OSGi. */
public final class AuditLogs {

    private AuditLogs() {
    }

    /**
     * The hash the log gives a record with these fields that follows the record whose hash is {@code previousHash}
     * (64 zeros for the first): what every append computes. For tools that write or check records outside the server,
     * e.g. the growth benchmark filling a database with a valid chain.
     *
     * @param time taken to the millisecond, as the log records it
     * @param payloadDigest {@link #payloadDigest} of the event's payload
     * @since 1.1
     */
    public static String recordHash(String previousHash, java.time.Instant time, String actor, String action,
            String subject, String payloadDigest) {
        return io.cachet.audit.internal.AuditEncoding.recordHash(previousHash, time, actor, action, subject,
                payloadDigest);
    }

    /** The digest a record keeps of an event's payload (SHA-256, lower-case hex). @since 1.1 */
    public static String payloadDigest(byte[] payload) {
        return io.cachet.api.security.Digests.sha256Hex(payload);
    }

    /** Where the server keeps its anchor journal in a data directory: {@code DATA/audit/anchors.journal}. */
    public static Path journalIn(Path dataDirectory) {
        return AnchorJournal.in(dataDirectory);
    }

    /**
     * The checking half of the server's local anchor key in {@code keyDirectory} ({@code DATA/keys}): the public key
     * only, so no master key is needed. Empty when the directory holds no anchor key.
     */
    public static Optional<AuditAnchorSigner> localAnchorVerifier(Path keyDirectory) {
        if (!Files.exists(keyDirectory.resolve(LocalAnchorSigner.PUBLIC_KEY_FILE))) {
            return Optional.empty();
        }
        return Optional.of(LocalAnchorSigner.verifier(keyDirectory));
    }

    /**
     * The server's local anchor signer on the key in {@code keyDirectory}, made there on first use with its private
     * key sealed by {@code vault}.
     */
    public static AuditAnchorSigner localAnchorSigner(Path keyDirectory, SecretVault vault) {
        return new LocalAnchorSigner(keyDirectory, vault);
    }

    /**
     * The log in {@code database} with its anchors in the database only, no anchor journal: for tools and tests
     * that need the records and the chain, not the journal's protection against a rewound database (the server
     * always keeps one).
     *
     * @param signers best first: the first makes new anchors; all check existing anchors
     */
    public static AuditLog open(Database database, List<AuditAnchorSigner> signers) {
        List<AuditAnchorSigner> copy = List.copyOf(signers);
        return new JdbcAuditLog(database, Clock.systemUTC(), () -> copy);
    }

    /**
     * The log in {@code database}, to {@link AuditLog#verify() verify} against the anchor journal
     * {@code journalFile} (which need not exist: its absence is a warning of the verification). Reading only:
     * nothing is written to the journal. Use it for verification, not for appending.
     *
     * @param signers the signers whose anchors can be checked (by {@link AuditAnchorSigner#id()})
     */
    public static AuditLog verifier(Database database, List<AuditAnchorSigner> signers, Path journalFile) {
        List<AuditAnchorSigner> copy = List.copyOf(signers);
        return new JdbcAuditLog(database, Clock.systemUTC(), () -> copy, journalFile);
    }

    /**
     * The log in {@code database} as the server writes it: anchors made by the first of {@code signers}, written to
     * the data directory's anchor journal before the database.
     */
    public static ClosableAuditLog writer(Database database, List<AuditAnchorSigner> signers, Path dataDirectory) {
        List<AuditAnchorSigner> copy = List.copyOf(signers);
        AnchorJournal journal = AnchorJournal.writer(AnchorJournal.in(dataDirectory));
        JdbcAuditLog log;
        try {
            log = new JdbcAuditLog(database, Clock.systemUTC(), () -> copy, journal, line -> { });
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        return new ClosableAuditLog() {
            @Override
            public io.cachet.api.audit.AuditRecord append(io.cachet.api.audit.AuditEvent event) {
                return log.append(event);
            }

            @Override
            public void appendAtCommit(io.cachet.api.audit.AuditEvent event) {
                log.appendAtCommit(event);
            }

            @Override
            public List<io.cachet.api.audit.AuditRecord> read(long fromSequence, int max) {
                return log.read(fromSequence, max);
            }

            @Override
            public List<io.cachet.api.audit.AuditRecord> about(java.util.Collection<String> subjects,
                    long fromSequence, int max) {
                return log.about(subjects, fromSequence, max);
            }

            @Override
            public Optional<io.cachet.api.audit.AuditRecord> head() {
                return log.head();
            }

            @Override
            public Optional<io.cachet.api.audit.AuditAnchor> anchor() {
                return log.anchor();
            }

            @Override
            public AuditVerification verify() {
                return log.verify();
            }

            @Override
            public void close() {
                journal.close();
            }
        };
    }
}
