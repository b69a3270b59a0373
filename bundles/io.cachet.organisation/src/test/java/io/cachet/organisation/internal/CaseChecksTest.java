package io.cachet.organisation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.cachet.api.organisation.RegistrationNumbers;

/** The identifier rules (SIREN/SIRET Luhn, La Poste, French VAT key) and the checks shown to the operator. */
class CaseChecksTest {

    private static CaseChecks.Subject acme(String identifier, String vat) {
        return new CaseChecks.Subject("ACME SAS", "FR", identifier, vat, "Anna Maria", "Eriksson");
    }

    @Test
    void identifierRules() {
        assertTrue(RegistrationNumbers.siren("552100554"));
        assertFalse(RegistrationNumbers.siren("552100555"), "Luhn key wrong");
        assertFalse(RegistrationNumbers.siren("55210055"), "8 digits");
        assertTrue(RegistrationNumbers.siret("55210055400013"));
        assertFalse(RegistrationNumbers.siret("55210055400014"));
        assertTrue(RegistrationNumbers.siret("35600000049837"), "La Poste: digit sum 45, a multiple of 5");
        assertFalse(RegistrationNumbers.luhn("35600000049837"), "which fails Luhn");
        assertFalse(RegistrationNumbers.siret("35600000049838"), "La Poste: digit sum 46");
        assertTrue(RegistrationNumbers.siret("35600000000048"), "La Poste's head office passes Luhn");
        assertEquals(96, RegistrationNumbers.frenchVatKey("552100554"));
        assertTrue(RegistrationNumbers.frenchVat("FR96552100554", "552100554"));
        assertFalse(RegistrationNumbers.frenchVat("FR95552100554", "552100554"));
    }

    @Test
    void checksShownToTheOperator() {
        assertTrue(CaseChecks.identifier(acme("552100554", null)).startsWith("PASSED: SIREN"));
        assertTrue(CaseChecks.identifier(acme("552100555", null)).startsWith("FAILED"));
        assertTrue(CaseChecks.identifier(acme("35600000049837", null)).contains("La Poste rule valid"));
        assertTrue(CaseChecks.vat(acme("552100554", "FR96552100554")).startsWith("PASSED"));
        assertTrue(CaseChecks.vat(acme("552100554", "FR12552100554")).startsWith("FAILED"));
        assertTrue(CaseChecks.vat(acme("552100554", "FR12552100554")).contains("96 expected"));
        assertTrue(CaseChecks.vat(acme("552100554", null)).startsWith("UNKNOWN"));
        assertTrue(CaseChecks.vat(acme("55210055400013", "FR96552100554")).startsWith("PASSED"), "a SIRET's SIREN");
    }

    @Test
    void extractChecks() {
        LocalDate today = LocalDate.parse("2026-12-02");
        String text = "Extrait Kbis à jour au 20/11/2026 ACME SAS RCS 552 100 554 Président Anna Maria ERIKSSON";
        Map<String, String> c = CaseChecks.evaluate(acme("552100554", "FR96552100554"), true, Optional.of(text),
                LocalDate.parse("2026-11-20"), "read from the PDF", false, "UNKNOWN: none", today, 3);
        assertEquals(List.of("identifier.format", "vat.key", "extract.date", "extract.identifier", "extract.name",
                "legal-representative", "mandate", "registry"), List.copyOf(c.keySet()));
        assertTrue(c.values().stream().limit(6).allMatch(v -> v.startsWith("PASSED")), c.toString());

        Map<String, String> old = CaseChecks.evaluate(acme("552100554", null), true, Optional.of(text),
                LocalDate.parse("2026-09-01"), "entered by ra", false, "UNKNOWN: none", today, 3);
        assertTrue(old.get("extract.date").startsWith("FAILED: issued 2026-09-01 (entered by ra)"));
        // exactly three months is still accepted; one day more is not
        assertFalse(CaseChecks.tooOld(LocalDate.parse("2026-09-02"), today, 3));
        assertTrue(CaseChecks.tooOld(LocalDate.parse("2026-09-01"), today, 3));

        Map<String, String> image = CaseChecks.evaluate(new CaseChecks.Subject("ACME SAS", "FR", "552100554", null,
                "Jean", "Dupont"), true, Optional.empty(), null, null, true, "UNKNOWN: none", today, 3);
        assertTrue(image.get("extract.date").startsWith("UNKNOWN"));
        assertTrue(image.get("extract.identifier").startsWith("UNKNOWN"));
        assertTrue(image.get("mandate").startsWith("PASSED"));

        Map<String, String> otherRep = CaseChecks.evaluate(new CaseChecks.Subject("ACME SAS", "FR", "552100554", null,
                "Jean", "Dupont"), true, Optional.of(text), LocalDate.parse("2026-11-20"), "read", false, "x", today, 3);
        assertTrue(otherRep.get("legal-representative").startsWith("FAILED"));
        assertTrue(otherRep.get("legal-representative").contains("a mandate is needed"));
    }
}
