package io.cachet.audit.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cachet.api.audit.AuditAnchor;
import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.audit.AuditVerification;
import io.cachet.api.audit.AuditVerification.Kind;
import io.cachet.api.audit.AuditVerification.Problem;

/**
 * Checks a chain fed to it record by record in sequence order, and the anchors fed next to the records they
 * name. Holds no records, so memory stays bounded however long the chain is:
 * <ul>
 * <li>To tell a record that moved (REORDERED) from one whose predecessor is gone (DELETED), a broken link's
 * previous hash is looked up among the hashes of the last {@code window} records, and otherwise remembered
 * until a later record turns out to carry it. A record that moved more than {@code window} places forward is
 * therefore reported as DELETED rather than REORDERED: it is reported either way, only less precisely.</li>
 * <li>At most {@link #MAX_PROBLEMS} problems are listed (a wholly rewritten chain would otherwise list
 * millions); one last problem then says how many more there are.</li>
 * </ul>
 * Not thread-safe: one instance per verification.
 */
final class ChainVerifier {

    static final int MAX_PROBLEMS = 1000;
    static final int DEFAULT_WINDOW = 10_000;

    private final Map<String, AuditAnchorSigner> signers;
    private final long headSequence;
    private final String headHash;
    private final Map<String, Long> recent;
    private final Map<String, List<Finding>> waitingFor = new HashMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private long omitted;
    private Finding firstOmitted;
    private long records;
    private long anchors;
    private long previousSequence;
    private String previousHash = AuditEncoding.GENESIS;

    /** A problem whose kind may still change from DELETED to REORDERED. */
    private static final class Finding {
        final long sequence;
        Kind kind;
        String message;

        Finding(long sequence, Kind kind, String message) {
            this.sequence = sequence;
            this.kind = kind;
            this.message = message;
        }
    }

    /**
     * @param signers installed signers by id
     * @param headSequence sequence in the head row when verification started, or -1 when the row is missing
     * @param headHash hash in the head row
     */
    ChainVerifier(Map<String, AuditAnchorSigner> signers, long headSequence, String headHash, int window) {
        this.signers = signers;
        this.headSequence = headSequence;
        this.headHash = headHash;
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > window;
            }
        };
        if (headSequence < 0) {
            report(0, Kind.TRUNCATED, "the audit_head row is missing: the audit tables were tampered with");
        }
    }

    void record(AuditRecord r) {
        records++;
        long seq = r.sequence();
        boolean consistent = r.hash().equals(AuditEncoding.recordHash(r.previousHash(), r.time(), r.actor(),
                r.action(), r.subject(), r.payloadDigest()));
        boolean linked = r.previousHash().equals(previousHash);
        if (!consistent) {
            report(seq, Kind.MODIFIED, "record " + seq + " no longer matches its hash: its content was changed");
        }
        if (seq != previousSequence + 1) {
            if (consistent && linked) {
                report(seq, Kind.REORDERED, "sequence jumps from " + previousSequence + " to " + seq
                        + " although the hash chain is unbroken: records were renumbered");
            } else {
                report(seq, Kind.DELETED, (seq - previousSequence == 2 ? "record " + (seq - 1) + " is"
                        : "records " + (previousSequence + 1) + " to " + (seq - 1) + " are") + " missing");
            }
        } else if (consistent && !linked) {
            brokenLink(r);
        }
        List<Finding> waiting = waitingFor.remove(r.hash());
        if (waiting != null) {
            for (Finding f : waiting) {
                f.kind = Kind.REORDERED;
                f.message = linksElsewhere(f.sequence, seq);
            }
        }
        if (seq == headSequence && !r.hash().equals(headHash)) {
            report(seq, Kind.TRUNCATED, "record " + seq + " is not the chain head recorded in audit_head: "
                    + "the chain was rewritten, or truncated and regrown");
        }
        recent.put(r.hash(), seq);
        previousSequence = seq;
        previousHash = r.hash();
    }

    /** A self-consistent record in sequence whose previous hash is not its predecessor's hash. */
    private void brokenLink(AuditRecord r) {
        long seq = r.sequence();
        if (r.previousHash().equals(AuditEncoding.GENESIS)) {
            report(seq, Kind.REORDERED, "record " + seq + " claims to be the first record: records were reordered");
            return;
        }
        Long earlier = recent.get(r.previousHash());
        if (earlier != null) {
            report(seq, Kind.REORDERED, linksElsewhere(seq, earlier));
            return;
        }
        // Either its predecessor moved further down the chain, or it is gone: decided when the walk gets there.
        Finding f = report(seq, Kind.DELETED, "record " + seq + " does not link to record " + (seq - 1)
                + ", and the record it links to is not in the log: records were removed and the rest renumbered, "
                + "or record " + (seq - 1) + " was rewritten");
        if (f != null) {
            waitingFor.computeIfAbsent(r.previousHash(), h -> new ArrayList<>(1)).add(f);
        }
    }

    private static String linksElsewhere(long seq, long target) {
        return "record " + seq + " links to record " + target + " instead of record " + (seq - 1)
                + ": records were swapped or renumbered";
    }

    /** An anchor, with the record at its sequence, or null when that record is not in the log. */
    void anchor(AuditAnchor a, AuditRecord at) {
        checkToken(a);
        // a missing record in the middle is already reported as DELETED by the walk
        if (at != null && !at.hash().equals(a.headHash())) {
            report(a.sequence(), Kind.TRUNCATED, "record " + a.sequence() + " no longer has the hash anchored at "
                    + AuditEncoding.time(a.time()) + " by " + a.signer()
                    + ": the chain was rewritten, or truncated and regrown");
        }
    }

    /** An anchor naming a record after the last one. */
    void anchorBeyondEnd(AuditAnchor a, long lastSequence) {
        checkToken(a);
        report(a.sequence(), Kind.TRUNCATED, "the anchor of " + AuditEncoding.time(a.time()) + " by " + a.signer()
                + " vouches for record " + a.sequence() + ", but the log ends at " + lastSequence
                + ": the newest records were deleted");
    }

    private void checkToken(AuditAnchor a) {
        anchors++;
        AuditAnchorSigner signer = signers.get(a.signer());
        if (signer == null) {
            report(a.sequence(), Kind.ANCHOR_INVALID, "the anchor of " + AuditEncoding.time(a.time())
                    + " was made by signer '" + a.signer() + "', which is not installed: install it to check it");
            return;
        }
        boolean valid;
        try {
            valid = signer.verify(AuditEncoding.anchorStatement(a.sequence(), a.headHash(), a.time()), a.token());
        } catch (RuntimeException e) {
            valid = false; // the contract says never throws; a faulty signer must not abort the verification
        }
        if (!valid) {
            report(a.sequence(), Kind.ANCHOR_INVALID, "the anchor of " + AuditEncoding.time(a.time()) + " by "
                    + a.signer() + " does not verify: the anchor was forged or altered, or the signer's key changed");
        }
    }

    AuditVerification finish() {
        if (headSequence > previousSequence) {
            report(headSequence, Kind.TRUNCATED, "audit_head names record " + headSequence + " but the log ends at "
                    + previousSequence + ": the newest records were deleted");
        }
        List<Problem> problems = new ArrayList<>(findings.size() + 1);
        // stable: a record's own problems keep the order they were found in
        findings.sort(Comparator.comparingLong(f -> f.sequence));
        for (Finding f : findings) {
            problems.add(new Problem(f.sequence, f.kind, f.message));
        }
        if (omitted > 0) {
            problems.add(new Problem(firstOmitted.sequence, firstOmitted.kind, omitted
                    + " further problems from record " + firstOmitted.sequence + " on are not listed"));
        }
        return new AuditVerification(records, anchors, problems);
    }

    private Finding report(long sequence, Kind kind, String message) {
        if (findings.size() >= MAX_PROBLEMS) {
            if (omitted++ == 0) {
                firstOmitted = new Finding(sequence, kind, message);
            }
            return null;
        }
        Finding f = new Finding(sequence, kind, message);
        findings.add(f);
        return f;
    }
}
