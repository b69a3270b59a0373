package io.cachet.api.identity;

import java.time.LocalDate;
import java.util.List;

/**
 * What an external provider concluded about an attempt, mapped from its own vocabulary. It goes to the operator
 * with the case; it never approves a case by itself.
 *
 * @param outcome the provider's verdict
 * @param surname the surname it read from the document, or null
 * @param givenNames the given names it read, or null
 * @param birthDate the birth date it read, or null
 * @param documentType the {@link DocumentType#id()} it recognised, or null
 * @param documentNumber the document number it read, or null
 * @param expiryDate the document's expiry date it read, or null
 * @param checks the provider's own checks (liveness, document authenticity…), prefixed {@code vendor.}
 */
public record ProviderResult(Outcome outcome, String surname, String givenNames, LocalDate birthDate,
        String documentType, String documentNumber, LocalDate expiryDate, List<CheckResult> checks) {

    public ProviderResult {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    public enum Outcome { VERIFIED, REJECTED, INCONCLUSIVE }
}
