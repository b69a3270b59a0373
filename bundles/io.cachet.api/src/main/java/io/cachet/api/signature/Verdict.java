package io.cachet.api.signature;

/** The short answer of a validation, as ETSI EN 319 102-1 gives it. */
public enum Verdict {
    /** Every signature is valid (TOTAL-PASSED). */
    VALID,
    /** At least one signature is definitely invalid (TOTAL-FAILED), or the file carries no signature. */
    INVALID,
    /** No signature is invalid, but at least one cannot be shown valid (INDETERMINATE), e.g. untrusted chain. */
    INDETERMINATE,
    /**
     * No signature is invalid, but the document was changed after at least one of them in a way a reader sees or
     * that runs: a PDF given an incremental update that covers or replaces page content, changes a form without a
     * certification that permits it, or adds JavaScript, actions or embedded files. What a viewer shows is not what
     * was signed; the changes are listed in {@link SignatureReport#changesAfterSigning()}. (Long-term validation
     * data, document time-stamps and later signatures are not such changes.)
     */
    MODIFIED_AFTER_SIGNING
}
