package io.cachet.api.signature;

import java.util.List;

/**
 * What validation found.
 *
 * @param verdict the whole file's verdict: {@link Verdict#VALID} only when it has signatures and all are valid;
 *        otherwise {@link Verdict#INVALID} if any signature is, else {@link Verdict#MODIFIED_AFTER_SIGNING} if the
 *        document was changed after any of them, else {@link Verdict#INDETERMINATE}
 * @param reasons one line per problem found, empty when valid
 * @param signatures each signature's own result, in document order
 * @param simpleReportXml DSS's simple report (XML)
 * @param detailedReportXml DSS's detailed report (XML)
 * @param diagnosticDataXml DSS's diagnostic data (XML): every token and check the reports build on
 */
public record ValidationResult(Verdict verdict, List<String> reasons, List<SignatureReport> signatures,
        String simpleReportXml, String detailedReportXml, String diagnosticDataXml) {

    public ValidationResult {
        reasons = List.copyOf(reasons);
        signatures = List.copyOf(signatures);
    }

    public boolean valid() {
        return verdict == Verdict.VALID;
    }

    /** One line, e.g. {@code VALID: 2 signatures}, or {@code INVALID: S-1 ...: reason}. */
    public String summary() {
        if (verdict == Verdict.VALID) {
            return "VALID: " + signatures.size() + (signatures.size() == 1 ? " signature" : " signatures");
        }
        return verdict + ": " + String.join("; ", reasons);
    }
}
