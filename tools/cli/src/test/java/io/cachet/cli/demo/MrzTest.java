package io.cachet.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class MrzTest {

    /** ICAO Doc 9303 part 4's specimen passport (Utopia, Anna Maria Eriksson): both lines to the character. */
    @Test
    void reproducesIcaosSpecimenZone() {
        String zone = Mrz.td3("Eriksson", "Anna Maria", "L898902C3", LocalDate.of(1974, 8, 12), "F",
                LocalDate.of(2012, 4, 15), "ZE184226B");
        assertEquals("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                + "L898902C36UTO7408122F1204159ZE184226B<<<<<10", zone);
    }

    @Test
    void checkDigitsFollowTheWeights731() {
        assertEquals(6, Mrz.digit("L898902C3"));
        assertEquals(2, Mrz.digit("740812"));
        assertEquals(9, Mrz.digit("120415"));
        assertEquals(0, Mrz.digit("<<<<<<"));
        assertThrows(IllegalArgumentException.class, () -> Mrz.digit("a"));
    }

    @Test
    void namesAreWrittenInTheZonesAlphabet() {
        String zone = Mrz.td3("Lefèvre-D'Arc", "Zoé", "X1", LocalDate.of(1990, 1, 2), "F", LocalDate.of(2031, 1, 1),
                null);
        assertEquals("P<UTOLEFEVRE<D<ARC<<ZOE", zone.substring(0, 23));
        assertEquals(44, zone.split("\n")[0].length());
        assertEquals(44, zone.split("\n")[1].length());
    }
}
