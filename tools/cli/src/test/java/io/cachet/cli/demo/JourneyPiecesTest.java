package io.cachet.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** The journey's decisions that need no server: what a state waits for, what a download holds, the summary. */
class JourneyPiecesTest {

    @TempDir
    Path dir;

    static Http.Answer answer(int status, String contentType, String body) {
        return new Http.Answer(status, Map.of("Content-Type", List.of(contentType)),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theStatesPendingChecksAreWhatTheDemoActsOn() throws Exception {
        JsonNode order = Http.JSON.readTree("""
                {"state": "VERIFICATION", "checks": [
                 {"kind": "identity.certificate-manager", "state": "VERIFICATION", "status": "PASSED"},
                 {"kind": "identity.legal-representative", "state": "VERIFICATION", "status": "PENDING"},
                 {"kind": "organisation", "state": "VERIFICATION", "status": "FAILED"},
                 {"kind": "acceptance.certificate-manager", "state": "ACCEPTANCE", "status": "PENDING"}]}
                """);
        assertEquals(List.of("identity.legal-representative", "organisation"), Journey.pending(order, "VERIFICATION"));
        assertEquals(List.of("acceptance.certificate-manager"), Journey.pending(order, "ACCEPTANCE"));
        assertEquals(List.of(), Journey.pending(order, "ISSUANCE"));
    }

    @Test
    void aCertificateIsTakenAsPemOrFromJson() {
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assertEquals(pem, Journey.pem(answer(200, "application/pem-certificate-chain", pem)));
        assertEquals(pem, Journey.pem(answer(200, "application/json", "{\"serial\": \"0a\", \"pem\": "
                + Http.JSON.valueToTree(pem) + "}")));
        assertNull(Journey.pem(answer(200, "application/json", "{\"status\": \"PENDING\"}")));
        assertTrue(Journey.pdf("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(Journey.pdf("{\"x\":1}".getBytes(StandardCharsets.US_ASCII)));
    }

    /** What the organisation check reads from an extract's text: its date, the SIREN, the name, the representative. */
    @Test
    void theSampleExtractSaysWhatTheOrganisationCheckReads() throws Exception {
        SampleData d = SampleData.fresh(new SecureRandom());
        byte[] pdf = d.extractPdf(LocalDate.of(2026, 11, 23));
        String text;
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            text = new PDFTextStripper().getText(doc);
        }
        assertTrue(text.contains("à jour au 23/11/2026"), text);
        assertTrue(text.contains(SampleData.spaced(d.organisation().siren())), text);
        assertTrue(text.contains(d.organisation().name()), text);
        assertTrue(text.contains("DUPONT Jean"), text);
    }

    @Test
    void theSummaryIsWrittenWholeWithTheFilesNamed() throws Exception {
        Summary s = new Summary();
        s.orderId = "ord_x";
        s.medium = "cloud";
        s.state = "DELIVERY";
        s.complete = true;
        s.certificate = "certificate.pem";
        s.acceptance.add("acceptance-form.pdf");
        s.evidence = "evidence.pdf";
        s.steps.add(new Summary.Step("order", "submitted"));
        Path file = s.write(dir.resolve("out"));
        JsonNode json = Http.JSON.readTree(Files.readAllBytes(file));
        assertEquals("ord_x", json.path("orderId").asText());
        assertEquals("DELIVERY", json.path("state").asText());
        assertTrue(json.path("complete").asBoolean());
        assertEquals("certificate.pem", json.path("certificate").asText());
        assertEquals("acceptance-form.pdf", json.path("acceptance").path(0).asText());
        assertEquals("evidence.pdf", json.path("evidence").asText());
        assertEquals("order", json.path("steps").path(0).path("step").asText());
        try (var files = Files.list(dir.resolve("out"))) {
            assertEquals(List.of("summary.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
