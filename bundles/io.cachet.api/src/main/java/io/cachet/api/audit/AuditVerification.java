package io.cachet.api.audit;

import java.util.List;

/**
 * Result of {@link AuditLog#verify()}.
 *
 * @param recordsChecked how many records were read
 * @param anchorsChecked how many anchors were checked (in the database and in the anchor journal)
 * @param problems what is wrong, in chain order; empty when the chain is intact
 * @param unanchoredRecords how many records follow the last anchor that vouches for the chain: they are not yet
 *        anchored, so deleting them would go unnoticed. Not a problem (the next anchor covers them), but worth
 *        saying.
 * @param warnings what limits the verification without being tampering, one line each (no anchor journal,
 *        anchors of another node or of an earlier database, ...)
 * @since 1.1
 */
public record AuditVerification(long recordsChecked, long anchorsChecked, List<Problem> problems,
        long unanchoredRecords, List<String> warnings) {

    public AuditVerification {
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    /** Without unanchored records or warnings (the 1.0 constructor). */
    public AuditVerification(long recordsChecked, long anchorsChecked, List<Problem> problems) {
        this(recordsChecked, anchorsChecked, problems, 0, List.of());
    }

    public boolean intact() {
        return problems.isEmpty();
    }

    /** What kind of tampering a problem points to. */
    public enum Kind {
        /** The record's content no longer matches its hash, or no longer the hash an anchor vouched for. */
        MODIFIED,
        /** Records are missing before this one (sequence gap or broken link). */
        DELETED,
        /** The record is intact but stands at the wrong place in the chain. */
        REORDERED,
        /** Newer records that an anchor vouches for are gone. */
        TRUNCATED,
        /**
         * An anchor's signature does not verify, or its signer is not installed, or an entry of the anchor
         * journal is damaged or out of its place.
         */
        ANCHOR_INVALID,
        /**
         * An anchor that the anchor journal, or the next anchor, vouches for is gone (from the database or
         * from the journal).
         *
         * @since 1.1
         */
        ANCHOR_MISSING
    }

    /**
     * @param sequence the record (or anchored record) where the problem shows
     * @param kind what it points to
     * @param message one line for an operator
     */
    public record Problem(long sequence, Kind kind, String message) {
    }
}
