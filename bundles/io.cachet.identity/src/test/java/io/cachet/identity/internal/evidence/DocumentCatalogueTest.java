package io.cachet.identity.internal.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cachet.api.identity.DocumentType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DocumentCatalogueTest {

    @Test
    void defaultsAreTheIssuesDocuments() {
        Map<String, DocumentType> byId = DocumentCatalogue.defaults().stream()
                .collect(Collectors.toMap(DocumentType::id, t -> t));
        assertEquals(Set.of("fr-cni-2021", "fr-cni-1994", "passport", "fr-titre-sejour", "eu-id-card"), byId.keySet());

        DocumentType cni2021 = byId.get("fr-cni-2021");
        assertEquals("TD1", cni2021.mrzFormat());
        assertEquals(Set.of("FRA"), cni2021.issuingStates());
        assertTrue(cni2021.needsBack());

        DocumentType cni1994 = byId.get("fr-cni-1994");
        assertEquals("FR-CNI", cni1994.mrzFormat());
        assertFalse(cni1994.needsBack());
        assertEquals(Set.of("FRA"), cni1994.issuingStates());

        DocumentType passport = byId.get("passport");
        assertEquals("TD3", passport.mrzFormat());
        assertEquals(Set.of("P"), passport.documentCodes());
        assertTrue(passport.issuingStates().isEmpty()); // any state
        assertFalse(passport.needsBack());

        DocumentType sejour = byId.get("fr-titre-sejour");
        assertEquals("TD1", sejour.mrzFormat());
        assertTrue(sejour.needsBack());

        DocumentType eu = byId.get("eu-id-card");
        assertEquals("TD1", eu.mrzFormat());
        assertTrue(eu.needsBack());
        assertEquals(31, eu.issuingStates().size()); // 27 EU + Iceland, Liechtenstein, Norway + Switzerland
        assertTrue(eu.issuingStates().containsAll(Set.of("D", "FRA", "ITA", "ESP", "NOR", "ISL", "LIE", "CHE")));
        assertFalse(eu.issuingStates().contains("DEU")); // a zone writes Germany as D
        assertFalse(eu.issuingStates().contains("GBR"));

        for (DocumentType t : DocumentCatalogue.defaults()) {
            assertFalse(t.name("fr").isBlank());
            assertFalse(t.name("en").isBlank());
            assertFalse(t.name("fr").equals(t.name("en")), t.id());
        }
    }

    @Test
    void parsesTheDocumentedSyntax() {
        List<DocumentType> types = DocumentCatalogue.parse(new String[] {
            "fr-cni-2021; TD1; I,ID; FRA; back; fr=Carte nationale d'identité (depuis 2021); en=French identity card (since 2021)",
            "",
            "  passport ;td3; P ;*; FRONT ; fr = Passeport ",
            "de-id; TD1; id; d, aut; back; fr=Carte allemande; en=German card; de=Personalausweis",
        });
        assertEquals(3, types.size());
        assertEquals(new DocumentType("fr-cni-2021", "TD1", Set.of("I", "ID"), Set.of("FRA"), true,
                Map.of("fr", "Carte nationale d'identité (depuis 2021)", "en", "French identity card (since 2021)")),
                types.get(0));
        assertEquals(new DocumentType("passport", "TD3", Set.of("P"), Set.of(), false, Map.of("fr", "Passeport")),
                types.get(1));
        assertEquals("Passeport", types.get(1).name("en")); // falls back on French
        assertEquals(Set.of("D", "AUT"), types.get(2).issuingStates());
        assertEquals(Set.of("ID"), types.get(2).documentCodes());
        assertEquals("Personalausweis", types.get(2).name("de"));
    }

    @Test
    void noEntriesNoTypes() {
        assertTrue(DocumentCatalogue.parse(null).isEmpty());
        assertTrue(DocumentCatalogue.parse(new String[] {" ", null}).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "passport; TD3; P; *; front|document type entry 1 (passport): expected 'id; format; codes; states; back",
        "passport; TD3; P; *; front|found 5 field(s)",
        "Passport; TD3; P; *; front; fr=Passeport|the id 'Passport' must be lower case letters, digits and hyphens",
        "; TD3; P; *; front; fr=Passeport|document type entry 1: the id '' must be",
        "passport; TD4; P; *; front; fr=Passeport|the format 'TD4' is none of TD1, TD2, TD3, FR-CNI",
        "passport; TD3; ; *; front; fr=Passeport|no document code",
        "passport; TD3; PPP; *; front; fr=Passeport|the document code 'PPP' is not 1 or 2 letters",
        "passport; TD3; P1; *; front; fr=Passeport|the document code 'P1' is not 1 or 2 letters",
        "passport; TD3; P; ; front; fr=Passeport|no issuing state",
        "passport; TD3; P; FRAN; front; fr=Passeport|the issuing state 'FRAN' is not an ICAO code",
        "passport; TD3; P; FR1; front; fr=Passeport|the issuing state 'FR1' is not an ICAO code",
        "passport; TD3; P; *; both; fr=Passeport|the sides 'both' are neither 'back' (front and back) nor 'front'",
        "passport; TD3; P; *; front; Passeport|'Passeport' is not a name as language=name",
        "passport; TD3; P; *; front; fr=|'fr=' is not a name as language=name",
        "passport; TD3; P; *; front; french=Passeport|'french=Passeport' is not a name as language=name",
        "passport; TD3; P; *; front; en=Passport|no French name (fr=…)",
        "passport; TD3; P; *; front; fr=Passeport; fr=Passeport bis|two names in 'fr'",
    })
    void parseErrorsNameTheEntryAndWhatIsWrong(String entry, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DocumentCatalogue.parse(new String[] {entry}));
        assertTrue(e.getMessage().startsWith("document type entry 1"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void duplicateIdsAreRefusedNamingTheSecondEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DocumentCatalogue.parse(
                new String[] {"passport; TD3; P; *; front; fr=Passeport", "", "passport; TD3; P; FRA; front; fr=P"}));
        assertEquals("document type entry 3 (passport): the id 'passport' is used by an earlier entry", e.getMessage());
    }
}
