package io.cachet.organisation.internal;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.organisation.RegistrationNumbers;

/**
 * The automatic checks of an organisation case, shown to the operator (never deciding by themselves): the
 * identifier well formed, the VAT key, the extract's issue date less than the allowed age, the extract naming the
 * organisation's identifier, its name and the legal representative, and the register's answer when a look-up is
 * installed. Plain Java, stateless.
 */
final class CaseChecks {

    /** The organisation and legal representative as the order names them. */
    record Subject(String name, String country, String identifier, String vat, String representativeGivenNames,
            String representativeSurname) {
    }

    private CaseChecks() {
    }

    /**
     * @param text the latest extract's text, empty when it has none (an image, a scan) or there is no extract
     * @param issued the extract's issue date (read or entered), or null
     * @param issuedSource how it is known ("read from the PDF", "entered by …"), for the operator
     * @param mandate whether a mandate was uploaded
     * @param registry the {@code registry} check's value, already made
     */
    static Map<String, String> evaluate(Subject s, boolean extract, Optional<String> text, LocalDate issued,
            String issuedSource, boolean mandate, String registry, LocalDate today, int maxAgeMonths) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("identifier.format", identifier(s));
        out.put("vat.key", vat(s));
        if (issued == null) {
            out.put("extract.date", OrganisationCase.UNKNOWN + ": " + (extract
                    ? "not read from the document: enter the issue date shown on it" : "no extract uploaded"));
        } else if (tooOld(issued, today, maxAgeMonths)) {
            out.put("extract.date", OrganisationCase.FAILED + ": issued " + issued + " (" + issuedSource
                    + "), more than " + maxAgeMonths + " months ago");
        } else if (issued.isAfter(today)) {
            out.put("extract.date", OrganisationCase.FAILED + ": issued " + issued + " (" + issuedSource
                    + "), a date in the future");
        } else {
            out.put("extract.date", OrganisationCase.PASSED + ": issued " + issued + " (" + issuedSource + ")");
        }
        if (text.isEmpty()) {
            String why = extract ? "no text in the document (an image or a scan): compare it yourself"
                    : "no extract uploaded";
            out.put("extract.identifier", OrganisationCase.UNKNOWN + ": " + why);
            out.put("extract.name", OrganisationCase.UNKNOWN + ": " + why);
            out.put("legal-representative", OrganisationCase.UNKNOWN + ": " + why
                    + (mandate ? "; a mandate was uploaded" : ""));
        } else {
            String t = text.get();
            out.put("extract.identifier", ExtractText.namesIdentifier(t, s.identifier())
                    ? OrganisationCase.PASSED + ": " + s.identifier() + " found in the extract"
                    : OrganisationCase.FAILED + ": " + s.identifier() + " not found in the extract");
            out.put("extract.name", ExtractText.namesOrganisation(t, s.name())
                    ? OrganisationCase.PASSED + ": \"" + s.name() + "\" found in the extract"
                    : OrganisationCase.FAILED + ": \"" + s.name() + "\" not found in the extract");
            String person = s.representativeGivenNames() + " " + s.representativeSurname();
            if (ExtractText.namesPerson(t, s.representativeGivenNames(), s.representativeSurname())) {
                out.put("legal-representative", OrganisationCase.PASSED + ": " + person + " named in the extract");
            } else {
                out.put("legal-representative", (mandate ? OrganisationCase.UNKNOWN : OrganisationCase.FAILED) + ": "
                        + person + " not named in the extract" + (mandate ? "; check the mandate" : "; a mandate is needed"));
            }
        }
        out.put("mandate", mandate ? OrganisationCase.PASSED + ": a mandate was uploaded"
                : OrganisationCase.UNKNOWN + ": none uploaded");
        out.put("registry", registry);
        return out;
    }

    static boolean tooOld(LocalDate issued, LocalDate today, int maxAgeMonths) {
        return issued.plusMonths(maxAgeMonths).isBefore(today);
    }

    static String identifier(Subject s) {
        String id = s.identifier();
        if ("FR".equals(s.country())) {
            if (RegistrationNumbers.digits(id, 9)) {
                return RegistrationNumbers.siren(id) ? OrganisationCase.PASSED + ": SIREN " + id + " (Luhn key valid)"
                        : OrganisationCase.FAILED + ": SIREN " + id + " (Luhn key invalid)";
            }
            if (RegistrationNumbers.digits(id, 14)) {
                String rule = id.startsWith(RegistrationNumbers.LA_POSTE) ? "La Poste rule" : "Luhn key";
                return RegistrationNumbers.siret(id) ? OrganisationCase.PASSED + ": SIRET " + id + " (" + rule + " valid)"
                        : OrganisationCase.FAILED + ": SIRET " + id + " (" + rule + " invalid)";
            }
            return OrganisationCase.FAILED + ": " + id + " is neither a SIREN (9 digits) nor a SIRET (14 digits)";
        }
        return id != null && id.matches("[A-Za-z0-9]{2,32}") ? OrganisationCase.UNKNOWN + ": " + id
                + " (no checksum rule known for " + s.country() + "): compare with the register"
                : OrganisationCase.FAILED + ": " + id + " is not a registration number";
    }

    static String vat(Subject s) {
        if (s.vat() == null || s.vat().isBlank()) {
            return OrganisationCase.UNKNOWN + ": no VAT number given";
        }
        if ("FR".equals(s.country()) && s.identifier() != null && s.identifier().length() >= 9) {
            String siren = s.identifier().substring(0, 9);
            return RegistrationNumbers.frenchVat(s.vat(), siren)
                    ? OrganisationCase.PASSED + ": " + s.vat() + " (key " + s.vat().substring(2, 4) + " of SIREN " + siren + ")"
                    : OrganisationCase.FAILED + ": " + s.vat() + " does not match SIREN " + siren + " (key "
                            + String.format("%02d", RegistrationNumbers.siren(siren) ? RegistrationNumbers.frenchVatKey(siren) : 0)
                            + " expected)";
        }
        return OrganisationCase.UNKNOWN + ": " + s.vat() + " (only French VAT keys are checked)";
    }
}
