package io.cachet.api.audit;

import java.util.List;

/**
 * Result of {@link AuditLog#verify()}.
 *
 * @param recordsChecked how many records were read
 * @param anchorsChecked how many anchors were checked
 * @param problems what is wrong, in chain order; empty when the chain is intact
 */
public record AuditVerification(long recordsChecked, long anchorsChecked, List<Problem> problems) {

    public AuditVerification {
        problems = List.copyOf(problems);
    }

    public boolean intact() {
        return problems.isEmpty();
    }

    /** What kind of tampering a problem points to. */
    public enum Kind {
        /** The record's content no longer matches its hash. */
        MODIFIED,
        /** Records are missing before this one (sequence gap or broken link). */
        DELETED,
        /** The record is intact but stands at the wrong place in the chain. */
        REORDERED,
        /** Newer records that an anchor vouches for are gone. */
        TRUNCATED,
        /** An anchor's signature does not verify, or its signer is not installed. */
        ANCHOR_INVALID
    }

    /**
     * @param sequence the record (or anchored record) where the problem shows
     * @param kind what it points to
     * @param message one line for an operator
     */
    public record Problem(long sequence, Kind kind, String message) {
    }
}
