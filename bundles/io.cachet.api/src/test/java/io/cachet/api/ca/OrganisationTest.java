package io.cachet.api.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.cachet.api.ca.SealCertificateRequest.Organisation;

class OrganisationTest {

    @Test
    void aVatNumberMakesAVatIdentifierWithoutItsOwnCountryPrefix() {
        assertEquals(new Organisation("Cachet SAS", "VATFR-40123456789", "FR"),
                Organisation.of(" Cachet SAS ", "fr", "123456789", "FR 40 123 456 789"));
        assertEquals("VATFR-40123456789", Organisation.of("Cachet SAS", "FR", null, "40123456789").identifier());
        assertEquals("VATDE-123456789", Organisation.of("Siegel GmbH", "DE", "HRB 1234", "de123.456.789").identifier());
    }

    @Test
    void withoutVatTheNationalRegisterNumberIsUsed() {
        assertEquals(new Organisation("Cachet SAS", "NTRFR-123456789", "FR"),
                Organisation.of("Cachet SAS", "FR", "123 456 789", null));
        assertEquals("NTRFR-123456789", Organisation.of("Cachet SAS", "FR", "123456789", "  ").identifier());
    }

    @Test
    void missingPartsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Organisation.of("", "FR", "123456789", null));
        assertThrows(IllegalArgumentException.class, () -> Organisation.of("Cachet", "FRA", "123456789", null));
        assertThrows(IllegalArgumentException.class, () -> Organisation.of("Cachet", "FR", " ", null));
        assertThrows(IllegalArgumentException.class, () -> Organisation.of("Cachet", "FR", "1", "FR"));
    }
}
