package io.cachet.itest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Register extracts (K-bis-like PDFs with text, as downloaded from the register) made with PDFBox in the test JVM
 * before the framework starts, so that the probe class never links PDFBox (see {@link SamplePdf}).
 */
final class SampleExtracts {

    private static final DateTimeFormatter FR = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private SampleExtracts() {
    }

    static Path write(Path file, LocalDate issued, String name, String siren, String president) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 11);
                cs.newLineAtOffset(60, 780);
                for (String line : new String[] { "Greffe du Tribunal de Commerce de Paris", "Extrait Kbis",
                    "EXTRAIT D'IMMATRICULATION PRINCIPALE AU REGISTRE DU COMMERCE ET DES SOCIETES",
                    "à jour au " + FR.format(issued), "IDENTIFICATION DE LA PERSONNE MORALE",
                    "Immatriculation au RCS, numéro " + siren.substring(0, 3) + " " + siren.substring(3, 6) + " "
                            + siren.substring(6) + " R.C.S. Paris",
                    "Date d'immatriculation 01/03/1998", "Dénomination ou raison sociale " + name,
                    "GESTION, DIRECTION, ADMINISTRATION, CONTRÔLE, ASSOCIÉS OU MEMBRES", "Président " + president }) {
                    cs.showText(line);
                    cs.newLineAtOffset(0, -16);
                }
                cs.endText();
            }
            doc.save(file.toFile());
        }
        return file;
    }
}
