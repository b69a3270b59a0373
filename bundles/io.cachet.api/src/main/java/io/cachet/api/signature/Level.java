package io.cachet.api.signature;

/** Baseline levels of ETSI EN 319 1x2. */
public enum Level {
    /** Basic: the signature and the signing certificate. */
    B,
    /** B with a time-stamp on the signature (needs an RFC 3161 TSA). */
    T,
    /** T with the certificates and revocation data (OCSP, CRL) needed to validate it later. */
    LT,
    /** LT with an archive time-stamp over all of it, to be renewed before its algorithms weaken. */
    LTA;

    /** Whether this level needs a time-stamp authority. */
    public boolean needsTimestamp() {
        return this != B;
    }
}
