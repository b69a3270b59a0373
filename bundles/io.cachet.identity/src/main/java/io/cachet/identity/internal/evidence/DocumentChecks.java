package io.cachet.identity.internal.evidence;

import io.cachet.api.identity.CheckResult;
import io.cachet.api.identity.DocumentType;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.MrzData;
import java.time.LocalDate;
import java.util.List;

/**
 * STUB (to be written by the evidence work): a parsed zone checked against the chosen document type and the person
 * the order names.
 */
public final class DocumentChecks {

    private DocumentChecks() {
    }

    /**
     * @return every check, passed or not, in this order: {@code document.type} (format and document code of the type,
     *         issuing state accepted), {@code document.not-expired} (a FR-CNI: issue date + its validity rule),
     *         {@code name.match} (surname), {@code given-names.match}, {@code birth-date.match}
     */
    public static List<CheckResult> verify(DocumentType type, MrzData mrz, String expectedSurname,
            String expectedGivenNames, LocalDate expectedBirthDate, LocalDate today) {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * @return the refusal for the first failed check ({@code document.type-not-accepted}, {@code document.expired},
     *         {@code name.mismatch}, {@code birth-date.mismatch}), or null when all passed
     */
    public static IdentityException refusal(List<CheckResult> checks) {
        throw new UnsupportedOperationException("stub");
    }
}
