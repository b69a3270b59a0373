package io.cachet.identity.internal.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cachet.api.identity.CheckResult;
import io.cachet.api.identity.DocumentType;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.MrzData;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DocumentChecksTest {

    static final Map<String, DocumentType> TYPES = DocumentCatalogue.defaults().stream()
            .collect(Collectors.toMap(DocumentType::id, t -> t));
    static final LocalDate BIRTH = LocalDate.of(1974, 8, 12);

    static MrzData parse(String zone) {
        return Mrz.parse(zone, MrzTest.TODAY);
    }

    static Map<String, CheckResult> byName(List<CheckResult> checks) {
        return checks.stream().collect(Collectors.toMap(CheckResult::name, c -> c));
    }

    @Test
    void allChecksInTheirOrder() {
        MrzData passport = parse(MrzTest.TD3);
        List<CheckResult> checks = DocumentChecks.verify(TYPES.get("passport"), passport, "Eriksson", "Anna, Maria",
                BIRTH, LocalDate.of(2012, 4, 15));
        assertEquals(List.of("document.type", "document.not-expired", "name.match", "given-names.match",
                "birth-date.match"), checks.stream().map(CheckResult::name).toList());
        assertTrue(checks.stream().allMatch(CheckResult::passed), checks.toString());
        assertEquals("expires 2012-04-15", checks.get(1).detail());
        assertNull(DocumentChecks.refusal(checks));
        // the details never repeat the names or the birth date
        for (CheckResult c : checks) {
            assertFalse(c.detail().contains("ERIKSSON") || c.detail().contains("ANNA") || c.detail().contains("1974"),
                    c.detail());
        }
    }

    @Test
    void expiredTheDayAfterItsExpiryDate() {
        MrzData passport = parse(MrzTest.TD3);
        List<CheckResult> checks = DocumentChecks.verify(TYPES.get("passport"), passport, "Eriksson", "Anna",
                BIRTH, LocalDate.of(2012, 4, 16));
        assertFalse(byName(checks).get("document.not-expired").passed());
        IdentityException refusal = DocumentChecks.refusal(checks);
        assertEquals("document.expired", refusal.code());
        assertEquals(IdentityException.Reason.INVALID, refusal.reason());
    }

    @Test
    void documentTypeWantsItsFormatCodeAndState() {
        LocalDate today = LocalDate.of(2010, 1, 1);
        MrzData td1Uto = parse(MrzTest.TD1);
        MrzData td1Fra = parse(MrzTest.TD1_FR);
        // the right one
        assertTrue(typeCheck("fr-cni-2021", td1Fra, today).passed());
        // wrong format: a card's zone for a passport
        assertTrue(typeCheck("passport", td1Fra, today).detail().contains("wrong format"));
        assertFalse(typeCheck("passport", td1Fra, today).passed());
        // wrong state: Utopia is not in the EU
        CheckResult wrongState = typeCheck("eu-id-card", td1Uto, today);
        assertFalse(wrongState.passed());
        assertTrue(wrongState.detail().contains("state not accepted"), wrongState.detail());
        assertTrue(typeCheck("eu-id-card", td1Fra, today).passed());
        // wrong code: a residence permit (IR) is no identity card (ID)
        String l1 = MrzTest.pad("IRFRA" + "AB1234567" + MrzTest.cd("AB1234567"), 30);
        String l2 = "900713" + MrzTest.cd("900713") + "F" + "300211" + MrzTest.cd("300211") + "MAR" + "<".repeat(11);
        MrzData permit = parse(l1 + "\n" + l2 + MrzTest.cd(l1.substring(5) + l2.substring(0, 7) + l2.substring(8, 15)
                + l2.substring(18, 29)) + "\n" + MrzTest.pad("MARTIN<<MAELYS", 30));
        assertEquals("IR", permit.documentCode());
        CheckResult wrongCode = typeCheck("fr-cni-2021", permit, today);
        assertFalse(wrongCode.passed());
        assertTrue(wrongCode.detail().contains("wrong document code"), wrongCode.detail());
        assertFalse(wrongCode.detail().contains("wrong format"), wrongCode.detail());
        assertTrue(typeCheck("fr-titre-sejour", permit, today).passed());
        assertFalse(typeCheck("fr-titre-sejour", parse(MrzTest.TD3), today).passed());
        // FR-CNI's own layout
        assertTrue(typeCheck("fr-cni-1994", parse(MrzTest.FR_CNI), today).passed());
        assertFalse(typeCheck("fr-cni-2021", parse(MrzTest.FR_CNI), today).passed());
        // any state's passport
        assertTrue(typeCheck("passport", parse(MrzTest.TD3), today).passed());

        List<CheckResult> checks = DocumentChecks.verify(TYPES.get("fr-cni-2021"), permit, "Martin", "Maelys",
                LocalDate.of(1990, 7, 13), LocalDate.of(2040, 1, 1)); // expired too: the type is told first
        assertEquals("document.type-not-accepted", DocumentChecks.refusal(checks).code());
    }

    private static CheckResult typeCheck(String type, MrzData mrz, LocalDate today) {
        return DocumentChecks.verify(TYPES.get(type), mrz, "x", "x", null, today).get(0);
    }

    @ParameterizedTest(name = "issued {0}, born {1}: valid through {2}")
    @CsvSource({
        "2003-12, 1960-01-01, 2013-12-31", // before 2004: 10 years
        "2004-01, 1960-01-01, 2019-01-31", // 2004-01-01 to 2013-12-31, adult: 15 years
        "2008-06, 1960-01-01, 2023-06-30",
        "2013-12, 1960-01-01, 2028-12-31",
        "2014-01, 1960-01-01, 2024-01-31", // from 2014: 10 years again
        "2021-07, 1960-01-01, 2031-07-31",
        "1994-03, 1960-01-01, 2004-03-31",
        "2010-05, 1995-01-01, 2020-05-31", // a minor's card: 10 years
        "2010-05, 1992-05-01, 2025-05-31", // 18 on the first day of the issue month: an adult's
        "2010-05, 1992-05-02, 2020-05-31", // 18 during the issue month: in doubt, the shorter validity
        "2004-01, 1985-12-31, 2019-01-31",
        "2004-01, 1986-01-02, 2014-01-31",
    })
    void frenchCardValidity(String issued, String born, String validThrough) {
        assertEquals(LocalDate.parse(validThrough),
                DocumentChecks.frenchCardExpiry(YearMonth.parse(issued), LocalDate.parse(born)));
    }

    @Test
    void frenchCardExpiresAtTheEndOfTheMonthItsValidityEndsIn() {
        // issued March 2012 to an adult born 1965-12-06: 15 years, through 2027-03-31
        String zone = MrzTest.frCni("BERTHIER", "120392310285", "CORINNE", "651206", "F");
        MrzData card = parse(zone);
        assertEquals(YearMonth.of(2012, 3), card.issued());
        LocalDate born = LocalDate.of(1965, 12, 6);
        List<CheckResult> lastDay = DocumentChecks.verify(TYPES.get("fr-cni-1994"), card, "Berthier", "Corinne", born,
                LocalDate.of(2027, 3, 31));
        assertNull(DocumentChecks.refusal(lastDay), lastDay.toString());
        assertEquals("issued 2012-03, valid through 2027-03-31", lastDay.get(1).detail());
        List<CheckResult> dayAfter = DocumentChecks.verify(TYPES.get("fr-cni-1994"), card, "Berthier", "Corinne", born,
                LocalDate.of(2027, 4, 1));
        assertEquals("document.expired", DocumentChecks.refusal(dayAfter).code());

        // the specimens: 1988 (10 years) and 2005 to an adult (15 years) are both over by now
        assertFalse(DocumentChecks.verify(TYPES.get("fr-cni-1994"), parse(MrzTest.FR_CNI), "Berthier", "Corinne",
                born, MrzTest.TODAY).get(1).passed());
        List<CheckResult> douel = DocumentChecks.verify(TYPES.get("fr-cni-1994"), parse(MrzTest.FR_CNI_DOUEL), "Douel",
                "Christiane", LocalDate.of(1929, 6, 20), LocalDate.of(2020, 6, 30));
        assertTrue(douel.get(1).passed(), douel.get(1).detail());
    }

    @Test
    void namesAndBirthDateMismatches() {
        MrzData passport = parse(MrzTest.TD3);
        LocalDate today = LocalDate.of(2012, 1, 1);
        DocumentType type = TYPES.get("passport");

        List<CheckResult> surname = DocumentChecks.verify(type, passport, "Eriksen", "Anna", BIRTH, today);
        assertFalse(byName(surname).get("name.match").passed());
        assertEquals("name.mismatch", DocumentChecks.refusal(surname).code());

        List<CheckResult> given = DocumentChecks.verify(type, passport, "Eriksson", "Maria", BIRTH, today);
        assertTrue(byName(given).get("name.match").passed());
        assertFalse(byName(given).get("given-names.match").passed());
        assertEquals("name.mismatch", DocumentChecks.refusal(given).code());

        List<CheckResult> birth = DocumentChecks.verify(type, passport, "Éríksson", "anna-maria",
                BIRTH.plusDays(1), today);
        assertTrue(byName(birth).get("given-names.match").passed());
        assertFalse(byName(birth).get("birth-date.match").passed());
        assertEquals("birth-date.mismatch", DocumentChecks.refusal(birth).code());

        List<CheckResult> noBirth = DocumentChecks.verify(type, passport, "Eriksson", "Anna", null, today);
        assertEquals("birth-date.mismatch", DocumentChecks.refusal(noBirth).code());
    }

    @Test
    void aFullZoneFieldIsComparedAsPossiblyCut() {
        // FR-CNI's given names field holds 14 characters: CHRISTIANE<<NI is full, NI may be Nicole
        MrzData douel = parse(MrzTest.FR_CNI_DOUEL);
        LocalDate today = LocalDate.of(2015, 1, 1);
        LocalDate born = LocalDate.of(1929, 6, 20);
        DocumentType type = TYPES.get("fr-cni-1994");
        assertNull(DocumentChecks.refusal(DocumentChecks.verify(type, douel, "Douel", "Christiane Nicole", born, today)));
        assertEquals("name.mismatch", DocumentChecks.refusal(
                DocumentChecks.verify(type, douel, "Douel", "Christiane Odile", born, today)).code());
        // BERTHIER's field is not full: CORINNE is the whole name
        MrzData berthier = parse(MrzTest.FR_CNI);
        assertEquals("name.mismatch", DocumentChecks.refusal(DocumentChecks.verify(type, berthier, "Berthier",
                "Corinnette", LocalDate.of(1965, 12, 6), LocalDate.of(1990, 1, 1))).code());
        // a TD3 name field of 39 filled: the surname may be cut
        String long3 = MrzTest.td3("P<", "UTO", "WOLFESCHLEGELSTEINHAUSENBERGERD<<HUBERT", "L898902C3", "UTO",
                "740812", "M", "300101", "");
        MrzData cut = parse(long3);
        assertEquals("WOLFESCHLEGELSTEINHAUSENBERGERD", cut.surname());
        assertNull(DocumentChecks.refusal(DocumentChecks.verify(TYPES.get("passport"), cut,
                "Wolfeschlegelsteinhausenbergerdorff", "Hubert", BIRTH, LocalDate.of(2020, 1, 1))));
    }

    @Test
    void refusalTakesTheFirstFailedCheck() {
        assertNull(DocumentChecks.refusal(List.of()));
        assertEquals("document.expired", DocumentChecks.refusal(List.of(new CheckResult("document.type", true, ""),
                new CheckResult("document.not-expired", false, ""), new CheckResult("name.match", false, ""))).code());
        IdentityException other = DocumentChecks.refusal(List.of(new CheckResult("image.resolution", false, "")));
        assertEquals("check.failed", other.code());
        assertEquals(List.of("image.resolution"), other.args());
    }
}
