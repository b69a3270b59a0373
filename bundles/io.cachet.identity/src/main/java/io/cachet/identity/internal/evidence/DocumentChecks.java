package io.cachet.identity.internal.evidence;

import io.cachet.api.identity.CheckResult;
import io.cachet.api.identity.DocumentType;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.IdentityException.Reason;
import io.cachet.api.identity.MrzData;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

/**
 * A parsed zone checked against the chosen document type and the person the order names.
 *
 * <p>The checks' details are for the operator and are kept with the case: they say what was compared and how it came
 * out, never the names or the birth date themselves (those stay in the encrypted evidence).
 */
public final class DocumentChecks {

    /** A French CNI issued to an adult in this span is valid 15 years instead of 10 (decree 2013-1188). */
    static final YearMonth FR_CNI_15_YEARS_FROM = YearMonth.of(2004, 1);
    static final YearMonth FR_CNI_15_YEARS_TO = YearMonth.of(2013, 12);

    private DocumentChecks() {
    }

    /**
     * The validity of a French CNI of 1994–2021 (its zone has no expiry date): 15 years for a card issued from
     * 2004-01-01 to 2013-12-31 to an adult, 10 years otherwise (a minor's card, or one issued outside that span; see
     * service-public.fr). The zone gives the issue month only: the card is taken as an adult's when the holder was
     * 18 on the first day of that month (in doubt, the shorter validity), and it expires at the end of the month
     * its validity ends in.
     *
     * @return the last day the card is valid
     */
    public static LocalDate frenchCardExpiry(YearMonth issued, LocalDate birthDate) {
        boolean adult = !birthDate.plusYears(18).isAfter(issued.atDay(1));
        boolean extended = adult && !issued.isBefore(FR_CNI_15_YEARS_FROM) && !issued.isAfter(FR_CNI_15_YEARS_TO);
        return issued.plusYears(extended ? 15 : 10).atEndOfMonth();
    }

    /**
     * @param expectedGivenNames the order's given names, several separated by spaces or commas
     * @return every check, passed or not, in this order: {@code document.type} (format and document code of the type,
     *         issuing state accepted), {@code document.not-expired} (a FR-CNI: issue date + its validity rule, see
     *         {@link #frenchCardExpiry}; else valid through its expiry date), {@code name.match} (surname),
     *         {@code given-names.match}, {@code birth-date.match}
     */
    public static List<CheckResult> verify(DocumentType type, MrzData mrz, String expectedSurname,
            String expectedGivenNames, LocalDate expectedBirthDate, LocalDate today) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mrz, "mrz");
        Objects.requireNonNull(today, "today");

        boolean format = type.mrzFormat().equals(mrz.format());
        boolean code = mrz.documentCode() != null
                && type.documentCodes().stream().anyMatch(c -> mrz.documentCode().startsWith(c));
        boolean state = type.issuingStates().isEmpty() || type.issuingStates().contains(mrz.issuingState());
        CheckResult documentType = new CheckResult("document.type", format && code && state,
                "zone " + mrz.format() + ", code " + mrz.documentCode() + ", issued by " + mrz.issuingState() + "; "
                        + type.id() + " wants " + type.mrzFormat() + ", code " + String.join("/", sorted(type.documentCodes()))
                        + ", " + (type.issuingStates().isEmpty() ? "any state" : "an accepted state")
                        + (format ? "" : " — wrong format") + (code ? "" : " — wrong document code")
                        + (state ? "" : " — state not accepted"));

        CheckResult notExpired;
        if ("FR-CNI".equals(mrz.format()) && mrz.issued() != null && mrz.birthDate() != null) {
            LocalDate end = frenchCardExpiry(mrz.issued(), mrz.birthDate());
            notExpired = new CheckResult("document.not-expired", !end.isBefore(today),
                    "issued " + mrz.issued() + ", valid through " + end);
        } else if (mrz.expiryDate() != null) {
            notExpired = new CheckResult("document.not-expired", !mrz.expiryDate().isBefore(today),
                    "expires " + mrz.expiryDate());
        } else {
            notExpired = new CheckResult("document.not-expired", false, "no expiry date in the zone");
        }

        boolean[] cut = truncated(mrz);
        boolean surname = NameMatching.sameSurname(expectedSurname, mrz.surname(), cut[0]);
        boolean given = NameMatching.sameGivenNames(expectedGivenNames, mrz.givenNames(), cut[1]);
        boolean birth = expectedBirthDate != null && expectedBirthDate.equals(mrz.birthDate());
        return List.of(documentType, notExpired,
                new CheckResult("name.match", surname,
                        (surname ? "the surname matches the order's" : "the surname differs from the order's")
                                + (cut[0] ? " (the zone's name field is full: compared as a possibly cut name)" : "")),
                new CheckResult("given-names.match", given,
                        (given ? "the given names match the order's" : "the given names differ from the order's")
                                + (cut[1] ? " (the zone's name field is full: its last name possibly cut)" : "")),
                new CheckResult("birth-date.match", birth,
                        birth ? "the birth date is the order's" : "the birth date differs from the order's"));
    }

    /**
     * @return the refusal for the first failed check ({@code document.type-not-accepted}, {@code document.expired},
     *         {@code name.mismatch} (surname or given names), {@code birth-date.mismatch}; another failed check:
     *         {@code check.failed} with its name as argument), or null when all passed
     */
    public static IdentityException refusal(List<CheckResult> checks) {
        for (CheckResult check : checks) {
            if (check.passed()) {
                continue;
            }
            return switch (check.name()) {
                case "document.type" -> new IdentityException(Reason.INVALID, "document.type-not-accepted",
                        "the document is not of the type chosen or not from an accepted state");
                case "document.not-expired" -> new IdentityException(Reason.INVALID, "document.expired",
                        "the document has expired");
                case "name.match", "given-names.match" -> new IdentityException(Reason.INVALID, "name.mismatch",
                        "the names on the document are not the order's");
                case "birth-date.match" -> new IdentityException(Reason.INVALID, "birth-date.mismatch",
                        "the birth date on the document is not the order's");
                default -> new IdentityException(Reason.INVALID, "check.failed",
                        "the check " + check.name() + " failed", check.name());
            };
        }
        return null;
    }

    /**
     * Whether the zone's name fields were full, so their last name may have been cut (ICAO 9303-3 truncation):
     * {surname, given names}.
     */
    private static boolean[] truncated(MrzData mrz) {
        String surname = mrz.surname() == null ? "" : mrz.surname();
        if ("FR-CNI".equals(mrz.format())) {
            return new boolean[] {surname.length() >= 25, String.join("<<", mrz.givenNames()).length() >= 14};
        }
        int field = switch (mrz.format()) {
            case "TD1" -> 30;
            case "TD2" -> 31;
            case "TD3" -> 39;
            default -> Integer.MAX_VALUE;
        };
        int used = surname.length() + (mrz.givenNames().isEmpty() ? 0 : 2 + String.join("<", mrz.givenNames()).length());
        boolean full = used >= field;
        return new boolean[] {full, full};
    }

    private static List<String> sorted(java.util.Set<String> values) {
        return values.stream().sorted().toList();
    }
}
