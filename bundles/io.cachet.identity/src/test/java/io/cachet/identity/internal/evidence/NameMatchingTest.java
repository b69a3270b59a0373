package io.cachet.identity.internal.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameMatchingTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "Éloïse|ELOISE",
        "  jean-pierre  |JEAN PIERRE",
        "D'Artagnan|D ARTAGNAN",
        "d’Artagnan|D ARTAGNAN",
        "Le  Guen -- Ropars|LE GUEN ROPARS",
        "Lætitia|LAETITIA",
        "Œdipe|OEDIPE",
        "cœur|COEUR",
        "Strauß|STRAUSS",
        "Müller|MULLER",
        "Ørsted|ORSTED",
        "Ångström|ANGSTROM",
        "Łukasz Świątek|LUKASZ SWIATEK",
        "Þór Guðmundsson|THOR GUDMUNDSSON",
        "Đorđević|DORDEVIC",
        "Çelik Ñúñez|CELIK NUNEZ",
        "İlker ılgın|ILKER ILGIN",
        "ERIKSSON<<ANNA<MARIA|ERIKSSON ANNA MARIA",
        "Anna, Maria|ANNA MARIA",
        "\" - ' , \"|\"\"", // separators only: nothing
        "Иванов|\"\"", // not Latin: nothing a zone would write (and so no match)
    })
    void normalisesAsAZoneWritesNames(String name, String expected) {
        assertEquals(expected, NameMatching.normalise(name));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "A\u0308lmhult|ALMHULT", // A + combining diaeresis, as some keyboards send it
        "Zoe\u0301|ZOE",
    })
    void decomposedInputIsNormalisedToo(String name, String expected) {
        assertEquals(expected, NameMatching.normalise(name));
    }

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "Eriksson|ERIKSSON|true",
        "éRIKSSON|ERIKSSON|true",
        "Erikson|ERIKSSON|false",
        "Eriksson|ERIKSSONN|false",
        "Le Guen-Ropars|LE GUEN ROPARS|true",
        "le guen ropars|LE<GUEN<ROPARS|true",
        "D'Artagnan|D ARTAGNAN|true",
        "D'Artagnan|DARTAGNAN|true", // ICAO lets a state omit the apostrophe
        "Müller|MULLER|true", // France writes the plain letter
        "Müller|MUELLER|true", // Germany writes ICAO's recommended UE
        "Müller|MUBLLER|false",
        "Mueller|MULLER|false",
        "Strauß|STRAUSS|true",
        "Lætitia|LAETITIA|true",
        "Øster|OSTER|true",
        "Øster|OESTER|true",
        "Martin|MART|false", // a short zone name is not cut: MART is someone else
        "Martin|MARTINE|false",
        "|ERIKSSON|false",
        "Eriksson||false",
        "Иванов|IVANOV|false",
    })
    void surnames(String expected, String read, boolean match) {
        assertEquals(match, NameMatching.sameSurname(expected, read));
    }

    @ParameterizedTest(name = "{0} vs {1} (cut: {2}): {3}")
    @CsvSource(delimiter = '|', value = {
        // a zone field full of name: the zone's name is the start of the order's
        "Wolfeschlegelsteinhausen-Bergerdorff|WOLFESCHLEGELSTEINHAUSEN|true|true",
        "Wolfeschlegelsteinhausen-Bergerdorff|WOLFESCHLEGELSTEINHAUSEN BERG|true|true",
        "Wolfeschlegelsteinhausen-Bergerdorff|WOLFESCHLEGELSTEINHAUSEN BERX|true|false",
        "Wolfeschlegelsteinhausen-Bergerdorff|WOLFESCHLEGELSTEINHAUSEN|false|false",
        "De La Fontaine Du Bois|DELAFONTAINEDU|true|true",
        "Martin|MART|true|true",
        "Martin|MARX|true|false",
        "Mart|MARTIN|true|false", // the order's name is shorter than the zone's: not a cut
    })
    void truncatedSurnames(String expected, String read, boolean truncated, boolean match) {
        assertEquals(match, NameMatching.sameSurname(expected, read, truncated));
    }

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        // without knowing the field, 25 characters or more may be a cut name (FR-CNI's surname field)
        "Wolfeschlegelsteinhausen-Bergerdorff|WOLFESCHLEGELSTEINHAUSEN B|true",
        "Wolfeschlegelsteinhausen-Bergerdorff|WOLFESCHLEGELSTEINHAUSEN|false",
    })
    void surnamesCutWithoutKnowingTheField(String expected, String read, boolean match) {
        assertEquals(match, NameMatching.sameSurname(expected, read));
    }

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "Anna|ANNA,MARIA|true", // the document may carry more given names
        "Anna Maria|ANNA,MARIA|true",
        "Anna, Maria|ANNA,MARIA|true",
        "anna maría|ANNA,MARIA|true",
        "Maria|ANNA,MARIA|false", // the first given name must be the document's first
        "Anna Maria Louise|ANNA,MARIA|false", // every name of the order must be on the document
        "Anna Louise|ANNA,MARIA|false",
        "Anna Maria|ANNA|false",
        "Maria Anna|ANNA,MARIA|false",
        "Anna Anna|ANNA,MARIA|false", // each name of the document counts once
        "Anna Anna|ANNA,ANNA|true",
        "Jean-Pierre|JEAN,PIERRE|true", // a compound name: a zone writes JEAN<PIERRE
        "Jean-Pierre|JEAN PIERRE|true", // FR-CNI: one name with a space
        "Jean Pierre|JEAN PIERRE,LOUIS|true",
        "Pierre|JEAN PIERRE|false",
        "Lætitia, Zoé|LAETITIA,ZOE|true",
        "Jürgen|JUERGEN|true",
        "Jürgen|JURGEN|true",
        "Corinne|CORINNE|true",
        "Corine|CORINNE|false",
        "|ANNA|false",
        "Anna||false",
        "||true", // no given names on either side
    })
    void givenNames(String expected, String read, boolean match) {
        assertEquals(match, NameMatching.sameGivenNames(expected, read(read)));
    }

    @ParameterizedTest(name = "{0} vs {1} (cut: {2}): {3}")
    @CsvSource(delimiter = '|', value = {
        // FR-CNI's 14 characters: CHRISTIANE<<NI, the second name cut
        "Christiane Nicole|CHRISTIANE,NI|true|true",
        "Christiane Nicole|CHRISTIANE,NI|false|false",
        "Christiane Nadia|CHRISTIANE,NI|true|false",
        "Christiane|CHRISTIANE,NI|true|true",
        "Christiane Nicole Louise|CHRISTIANE,NI|true|true", // names after the cut cannot be on the zone
        "Maximilienne|MAXIMILIEN|true|true", // even the first name may be cut
        "Maximilienne|MAXIMILIEN|false|false",
        "Max|MAXIMILIEN|true|false",
        "Anna Maria|ANNA,MARIA|true|true",
    })
    void truncatedGivenNames(String expected, String read, boolean truncated, boolean match) {
        assertEquals(match, NameMatching.sameGivenNames(expected, read(read), truncated));
    }

    private static List<String> read(String csv) {
        return csv == null ? List.of() : Arrays.asList(csv.split(","));
    }
}
