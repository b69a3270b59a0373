package io.cachet.audit.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.cachet.api.audit.AuditAnchor;
import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.audit.AuditVerification;
import io.cachet.api.audit.AuditVerification.Kind;
import io.cachet.api.audit.AuditVerification.Problem;

/**
 * Checks a chain fed to it record by record in sequence order, and the anchors fed next to the records they
 * name: those in the database and those of the anchor journal, cross-checked (a journal anchor missing from the
 * database, a record that no longer has the hash a journal anchor vouches for, a database anchor whose
 * predecessor is gone, journal lines removed or reordered). Holds no records (only the anchors' hashes), so memory
 * stays bounded by the number of anchors however long the chain is:
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

    private final String chainId;
    private final boolean journalPresent;
    private final java.nio.file.Path journalFile;
    private final Set<String> databaseHashes = new HashSet<>();
    private final Set<String> journalHashes = new HashSet<>();
    private final Set<String> otherChains = new TreeSet<>();
    private String lastJournalHash = AuditEncoding.GENESIS;
    private long lastJournalSequence;
    private long journalAnchors;
    private long otherChainAnchors;
    private long databaseOnlyAnchors;
    private boolean chainInJournal;
    private long anchoredUpTo;

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
     * @param chainId the database's chain id ({@code audit_head.chain_id}), or null when it has none yet
     * @param journalFile the anchor journal checked with the database, or null
     * @param journalPresent whether that journal exists
     */
    ChainVerifier(Map<String, AuditAnchorSigner> signers, long headSequence, String headHash, int window,
            String chainId, java.nio.file.Path journalFile, boolean journalPresent) {
        this.chainId = chainId;
        this.journalFile = journalFile;
        this.journalPresent = journalPresent;
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

    /**
     * Decides whether a journal line takes part in the cross-check with the database: reports damaged lines and
     * broken links, notes chain lines, and counts the anchors of other chains.
     *
     * @return true for an anchor of this database's chain, in sequence order
     */
    boolean admit(AnchorJournal.Entry e) {
        if (e.error() != null) {
            report(lastJournalSequence, Kind.ANCHOR_INVALID, "anchor journal line " + e.line() + " " + e.error()
                    + ": the journal was edited or damaged");
            return false;
        }
        if (e.chainStart() != null) {
            if (e.chainStart().equals(chainId)) {
                chainInJournal = true;
            } else {
                otherChains.add(e.chainStart());
            }
            return false;
        }
        ChainedAnchor a = e.anchor();
        if (!a.chainId().equals(chainId)) {
            otherChains.add(a.chainId());
            otherChainAnchors++;
            return false;
        }
        chainInJournal = true;
        journalAnchors++;
        String hash = a.hash();
        if (!a.previous().equals(lastJournalHash)) {
            if (journalHashes.contains(a.previous()) || a.previous().equals(AuditEncoding.GENESIS)) {
                report(a.sequence(), Kind.ANCHOR_INVALID, "anchor journal line " + e.line() + " (" + a.describe()
                        + ") is out of its place: journal entries were reordered or duplicated");
            } else {
                report(a.sequence(), Kind.ANCHOR_MISSING, "anchor journal line " + e.line() + " (" + a.describe()
                        + ") follows an anchor that is not in the journal: journal entries were removed before it");
            }
        }
        lastJournalHash = hash;
        journalHashes.add(hash);
        if (a.sequence() < lastJournalSequence) {
            report(a.sequence(), Kind.ANCHOR_INVALID, "anchor journal line " + e.line() + " goes back from record "
                    + lastJournalSequence + " to record " + a.sequence() + ": journal entries were reordered");
            return false;
        }
        lastJournalSequence = a.sequence();
        return true;
    }

    /**
     * The anchors of one record: those in the database (in id order) and those in the journal.
     *
     * @param at the record, or null when it is not in the log
     * @param lastSequence the last record seen so far (the end of the log when the record is beyond it)
     */
    void anchors(long sequence, List<ChainedAnchor> db, List<AnchorJournal.Entry> journal, AuditRecord at,
            long lastSequence) {
        boolean beyondEnd = at == null && sequence > lastSequence;
        Set<String> inJournal = new HashSet<>();
        for (AnchorJournal.Entry e : journal) {
            inJournal.add(e.anchor().hash());
        }
        Set<String> inDatabase = new HashSet<>();
        for (ChainedAnchor a : db) {
            boolean valid = checkToken(a, "");
            if (a.chained()) {
                String hash = a.hash();
                inDatabase.add(hash);
                if (!a.previous().equals(AuditEncoding.GENESIS) && !databaseHashes.contains(a.previous())) {
                    report(sequence, Kind.ANCHOR_MISSING, a.describe() + " follows an anchor that is no longer in "
                            + "the database: anchors were deleted");
                }
                databaseHashes.add(hash);
                if (journalPresent && !inJournal.contains(hash)) {
                    if (journalHashes.contains(a.previous())) {
                        report(sequence, Kind.ANCHOR_MISSING, a.describe() + " is in the database and follows an "
                                + "anchor of the journal, but the journal lacks it: its newest entries were removed");
                    } else {
                        databaseOnlyAnchors++;
                    }
                }
            }
            if (at != null && !at.hash().equals(a.anchor().headHash())) {
                report(sequence, Kind.TRUNCATED, "record " + sequence + " no longer has the hash anchored at "
                        + AuditEncoding.time(a.anchor().time()) + " by " + a.anchor().signer()
                        + ": the chain was rewritten, or truncated and regrown");
            } else if (at != null && valid) {
                anchoredUpTo = Math.max(anchoredUpTo, sequence);
            }
            if (beyondEnd) {
                report(sequence, Kind.TRUNCATED, a.describe() + " vouches for record " + sequence + ", but the log "
                        + "ends at " + lastSequence + ": the newest records were deleted");
                coveredBeyondEnd(valid, sequence);
            }
        }
        for (AnchorJournal.Entry e : journal) {
            ChainedAnchor a = e.anchor();
            if (inDatabase.contains(a.hash())) {
                continue; // the same anchor, checked above
            }
            String where = " (anchor journal line " + e.line() + ")";
            boolean valid = checkToken(a, where);
            if (at != null && !at.hash().equals(a.anchor().headHash())) {
                report(sequence, Kind.MODIFIED, "record " + sequence + " no longer has the hash that " + a.describe()
                        + where + " vouches for: the chain was changed and re-hashed");
            } else if (at != null && valid) {
                anchoredUpTo = Math.max(anchoredUpTo, sequence);
            }
            if (beyondEnd) {
                report(sequence, Kind.TRUNCATED, a.describe() + where + " vouches for record " + sequence
                        + ", but the log ends at " + lastSequence + ": the newest records were deleted");
                coveredBeyondEnd(valid, sequence);
            }
            report(sequence, Kind.ANCHOR_MISSING, a.describe() + where + " is missing from the database: "
                    + "anchors were deleted");
        }
    }

    /** Records under a valid anchor beyond the end are not "not yet anchored": their anchor says they were cut. */
    private void coveredBeyondEnd(boolean valid, long sequence) {
        if (valid) {
            anchoredUpTo = Math.max(anchoredUpTo, sequence);
        }
    }

    /** @return whether the token verifies */
    private boolean checkToken(ChainedAnchor chained, String where) {
        anchors++;
        AuditAnchor a = chained.anchor();
        AuditAnchorSigner signer = signers.get(a.signer());
        if (signer == null) {
            report(a.sequence(), Kind.ANCHOR_INVALID, "the anchor of " + AuditEncoding.time(a.time()) + where
                    + " was made by signer '" + a.signer() + "', which is not installed: install it to check it");
            return false;
        }
        boolean valid;
        try {
            valid = signer.verify(chained.statement(), a.token());
        } catch (RuntimeException e) {
            valid = false; // the contract says never throws; a faulty signer must not abort the verification
        }
        if (!valid) {
            report(a.sequence(), Kind.ANCHOR_INVALID, "the anchor of " + AuditEncoding.time(a.time()) + " by "
                    + a.signer() + where + " does not verify: the anchor was forged or altered, or the signer's key "
                    + "changed");
        }
        return valid;
    }

    AuditVerification finish() {
        if (headSequence > previousSequence) {
            report(headSequence, Kind.TRUNCATED, "audit_head names record " + headSequence + " but the log ends at "
                    + previousSequence + ": the newest records were deleted");
        }
        List<String> warnings = new ArrayList<>();
        if (!journalPresent) {
            warnings.add("no anchor journal" + (journalFile == null ? "" : " at " + journalFile) + ": the anchors were "
                    + "checked against the database alone, which cannot show that it was rewound or its anchors deleted");
        } else if (chainId == null) {
            if (journalAnchors + otherChainAnchors > 0 || !otherChains.isEmpty()) {
                report(0, Kind.ANCHOR_MISSING, "audit_head has no chain id, but the anchor journal " + journalFile
                        + " holds anchors: the audit tables were reset or replaced");
            }
        } else if (!chainInJournal && !otherChains.isEmpty()) {
            report(0, Kind.ANCHOR_MISSING, "the anchor journal " + journalFile + " knows audit chain(s) "
                    + String.join(", ", otherChains) + " but not this database's chain " + chainId + ": the database "
                    + "was replaced or its audit tables rewritten while Cachet was not running on it");
        }
        if (journalPresent && otherChainAnchors > 0 && chainInJournal) {
            warnings.add("the anchor journal also holds " + otherChainAnchors + " anchor(s) of other audit chains ("
                    + String.join(", ", otherChains) + "): a database used before, not checked here");
        }
        if (databaseOnlyAnchors > 0) {
            warnings.add(databaseOnlyAnchors + " anchor(s) in the database are not in the anchor journal: made by "
                    + "another node sharing the database, or before the journal existed");
        }
        long unanchored = Math.max(0, previousSequence - anchoredUpTo);
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
        return new AuditVerification(records, anchors, problems, unanchored, warnings);
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
