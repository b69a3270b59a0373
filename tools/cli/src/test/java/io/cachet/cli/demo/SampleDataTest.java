package io.cachet.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.time.LocalDate;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class SampleDataTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void eachRunHasItsOwnValidOrganisationAndPersons() {
        SampleData a = SampleData.fresh(random);
        SampleData b = SampleData.fresh(random);
        assertNotEquals(a.run(), b.run());
        assertNotEquals(a.manager().email(), b.manager().email());
        for (SampleData d : new SampleData[] { a, b }) {
            String siren = d.organisation().siren();
            assertTrue(siren.matches("[1-9][0-9]{8}"), siren);
            assertTrue(SampleData.luhn(siren), siren);
            assertTrue(d.manager().mobile().matches("\\+3361[0-9]{7}"), d.manager().mobile());
            assertNotEquals(d.manager().email(), d.legalRepresentative().email());
        }
        assertFalse(SampleData.luhn("552100555"));
        assertTrue(SampleData.luhn("552100554"));
    }

    /** The French VAT key as the order validation computes it (README: FR96552100554 for SIREN 552100554). */
    @Test
    void frenchVatNumbersCarryTheirKey() {
        assertEquals("FR96552100554", SampleData.vat("552100554"));
        assertEquals("FR40303265045", SampleData.vat("303265045"));
    }

    @Test
    void theOrderIsTheApisShapeAndATokenOrderHasADeliveryAddress() {
        SampleData d = SampleData.fresh(random);
        JsonNode cloud = d.order("cloud", "en");
        assertEquals("enterprise-plus", cloud.path("product").asText());
        assertEquals(d.organisation().vat(), cloud.path("organisation").path("vat").asText());
        assertEquals("1974-08-12", cloud.path("certificateManager").path("birthDate").asText());
        assertEquals("Dupont", cloud.path("legalRepresentative").path("surname").asText());
        assertTrue(cloud.path("delivery").isMissingNode());
        JsonNode usb = d.order("usb-a", "fr");
        assertEquals("Anna Maria Eriksson", usb.path("delivery").path("beneficiary").asText());
        assertEquals("75002", usb.path("delivery").path("address").path("postalCode").asText());
    }

    @Test
    void theEvidenceIsWhatThePhoneFlowTakes() throws Exception {
        SampleData d = SampleData.fresh(random);
        LocalDate today = LocalDate.of(2026, 12, 3);
        for (byte[] jpeg : new byte[][] { d.documentImage(d.manager(), today), d.selfieImage(d.manager()) }) {
            assertEquals((byte) 0xFF, jpeg[0]);
            assertEquals((byte) 0xD8, jpeg[1]);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
            assertEquals(1080, img.getWidth());
            assertEquals(1920, img.getHeight());
        }
        String zone = d.mrz(d.manager(), today);
        String[] lines = zone.split("\n");
        assertTrue(lines[0].startsWith("P<UTOERIKSSON<<ANNA<MARIA<"), lines[0]);
        assertEquals("7408122", lines[1].substring(13, 20));
        assertEquals("311203", lines[1].substring(21, 27), "valid five more years");
        assertNotEquals(d.documentNumber(d.manager()), d.documentNumber(d.legalRepresentative()));
    }
}
