package io.cachet.signature.api;

/** The short answer of a validation, as ETSI EN 319 102-1 gives it. */
public enum Verdict {
    /** Every signature is valid (TOTAL-PASSED). */
    VALID,
    /** At least one signature is definitely invalid (TOTAL-FAILED), or the file carries no signature. */
    INVALID,
    /** No signature is invalid, but at least one cannot be shown valid (INDETERMINATE), e.g. untrusted chain. */
    INDETERMINATE
}
