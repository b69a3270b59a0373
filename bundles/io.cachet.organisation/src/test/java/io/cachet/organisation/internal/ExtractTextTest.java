package io.cachet.organisation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Reading an extract's text with PDFBox: a PDF generated here, as a register's PDF download has text. */
class ExtractTextTest {

    @Test
    void readsTheIssueDateNameIdentifierAndRepresentativeOfAGeneratedKbis() {
        byte[] pdf = Fixture.kbis(LocalDate.parse("2026-11-20"), "ACME SAS", "552100554", "Anna Maria ERIKSSON");
        Optional<String> text = ExtractText.of(pdf);
        assertTrue(text.isPresent());
        // the date after "à jour au", not the registration nor the birth date further on
        assertEquals(Optional.of(LocalDate.parse("2026-11-20")), ExtractText.issueDate(text.get()));
        assertTrue(ExtractText.namesIdentifier(text.get(), "552100554"), "with the register's spaces");
        assertTrue(ExtractText.namesIdentifier(text.get(), "55210055400013"), "a SIRET of that SIREN");
        assertFalse(ExtractText.namesIdentifier(text.get(), "732829320"));
        assertTrue(ExtractText.namesOrganisation(text.get(), "Acme S.A.S."), "case and punctuation ignored");
        assertFalse(ExtractText.namesOrganisation(text.get(), "Globex"));
        assertTrue(ExtractText.namesPerson(text.get(), "Anna Maria", "Eriksson"));
        assertFalse(ExtractText.namesPerson(text.get(), "Jean", "Dupont"));
    }

    @Test
    void datesInWordsAndInEnglish() {
        assertEquals(Optional.of(LocalDate.parse("2026-11-03")),
                ExtractText.issueDate("Extrait Kbis à jour au 3 novembre 2026 — immatriculé le 01/01/1990"));
        assertEquals(Optional.of(LocalDate.parse("2026-10-01")),
                ExtractText.issueDate("Délivré le 1er octobre 2026"));
        assertEquals(Optional.of(LocalDate.parse("2026-09-15")),
                ExtractText.issueDate("Company register extract, issued on 15 September 2026"));
        assertEquals(Optional.of(LocalDate.parse("2026-09-15")),
                ExtractText.issueDate("Register extract. Issue date: 2026-09-15"));
        assertEquals(Optional.of(LocalDate.parse("2026-09-15")),
                ExtractText.issueDate("Extract as of September 15, 2026"));
        assertEquals(Optional.empty(), ExtractText.issueDate("Immatriculation le 01/03/1998, né le 12/08/1974"),
                "dates without a key word are not taken as the issue date");
        assertEquals(Optional.empty(), ExtractText.issueDate("à jour au 31/02/2026"), "no such day");
    }

    @Test
    void aScanOrADamagedFileHasNoText() {
        assertEquals(Optional.empty(), ExtractText.of(Fixture.pdf()), "a page without text (as a scan)");
        assertEquals(Optional.empty(), ExtractText.of("%PDF-1.7 not really".getBytes()));
        assertEquals(-1, ExtractText.pages("%PDF-1.7 not really".getBytes()));
        assertEquals(1, ExtractText.pages(Fixture.pdf("x")));
    }
}
