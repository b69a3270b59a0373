package io.cachet.api.signature;

import java.time.Instant;
import java.util.List;

/**
 * One signature's result.
 *
 * @param id DSS's identifier of the signature
 * @param signedBy the signer's name as DSS gives it (common name of the signing certificate)
 * @param format the format and level found, e.g. {@code PAdES-BASELINE-LTA}
 * @param verdict the signature's verdict
 * @param indication ETSI indication, e.g. {@code TOTAL_PASSED}, {@code INDETERMINATE}
 * @param subIndication ETSI sub-indication, e.g. {@code NO_CERTIFICATE_CHAIN_FOUND}; {@code null} when valid
 * @param claimedSigningTime the signing time the signature claims; {@code null} if none
 * @param bestSignatureTime the earliest time the signature is proven to have existed (its time-stamp)
 * @param errors DSS's error messages
 * @param warnings DSS's warnings
 * @param changesAfterSigning PDF only: what was changed after this signature that a reader sees or that runs (one
 *        line each); not empty exactly when the verdict is {@link Verdict#MODIFIED_AFTER_SIGNING}
 */
public record SignatureReport(String id, String signedBy, String format, Verdict verdict, String indication,
        String subIndication, Instant claimedSigningTime, Instant bestSignatureTime, List<String> errors,
        List<String> warnings, List<String> changesAfterSigning) {

    public SignatureReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        changesAfterSigning = changesAfterSigning == null ? List.of() : List.copyOf(changesAfterSigning);
    }

    /** A report without changes after signing (the 1.0 form). */
    public SignatureReport(String id, String signedBy, String format, Verdict verdict, String indication,
            String subIndication, Instant claimedSigningTime, Instant bestSignatureTime, List<String> errors,
            List<String> warnings) {
        this(id, signedBy, format, verdict, indication, subIndication, claimedSigningTime, bestSignatureTime, errors,
                warnings, List.of());
    }
}
