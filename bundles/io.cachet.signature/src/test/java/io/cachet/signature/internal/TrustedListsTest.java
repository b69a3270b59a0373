package io.cachet.signature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.SignOptions;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.TrustedListSource;
import io.cachet.api.signature.TrustedListStatus;
import io.cachet.api.signature.TrustedLists;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Verdict;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.TrustedListWriter;

/**
 * Validation against an ETSI TS 119 612 trusted list instead of configured anchors: the list names the issuing CA as
 * a qualified CA for seals, so the seal is trusted and DSS can tell it is a qualified electronic seal; a list badly
 * signed, expired or unreadable gives no trust and says why.
 */
class TrustedListsTest {
    static TestPki pki;
    static SigningKey seal;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
        seal = pki.seal(KeyAlgorithm.EC_P256);
    }

    private SigningKey operator(String name) throws Exception {
        return TestPki.key(pki.pkcs12(dir, "EC", "pw".toCharArray()), "pw".toCharArray());
    }

    private static TrustedLists load(Path list, SigningKey expectedSigner) {
        return Signatures.trustedLists(List.of(new TrustedListSource(list.toString(),
                List.of(expectedSigner.certificate()))), Duration.ofSeconds(10));
    }

    private Path signedPdf() throws Exception {
        Path out = dir.resolve("signed.pdf");
        Signatures.signer().sign(Pdfs.pages(dir.resolve("in.pdf"), 1), out, seal,
                SignOptions.pades(Level.B).withTrustAnchors(pki.trustAnchors()));
        return out;
    }

    private static ValidationResult validate(Path pdf, TrustedLists lists) {
        return Signatures.validator().validate(pdf, List.of(), ValidationOptions.trusting(List.of())
                .withTrustedLists(lists));
    }

    @Test
    void aQualifiedCaOnASignedListMakesTheSealValidAndQualified() throws Exception {
        SigningKey operator = operator("operator");
        Path list = TrustedListWriter.write(dir.resolve("FR-tl.xml"), pki.ca.issuing(), operator,
                Instant.now().plus(90, ChronoUnit.DAYS));
        TrustedLists lists = load(list, operator);
        TrustedListStatus status = lists.status().get(0);
        assertTrue(status.loaded() && status.signatureValid() && status.trusted(), status.toString());
        assertEquals("FR", status.territory());
        assertEquals(1, status.services());

        Path pdf = signedPdf();
        ValidationResult result = validate(pdf, lists);
        assertEquals(Verdict.VALID, result.verdict(), result.summary());
        assertTrue(result.simpleReportXml().contains(">QESeal<"), "DSS finds a qualified electronic seal: "
                + result.simpleReportXml());

        // the same signature with neither anchors nor lists cannot be shown valid
        assertEquals(Verdict.INDETERMINATE, Signatures.validator().validate(pdf, List.of(),
                ValidationOptions.trusting(List.of())).verdict());
    }

    @Test
    void aListSignedBySomeoneElseGivesNoTrust() throws Exception {
        Path list = TrustedListWriter.write(dir.resolve("forged.xml"), pki.ca.issuing(), operator("forger"),
                Instant.now().plus(90, ChronoUnit.DAYS));
        TrustedLists lists = load(list, operator("operator"));
        TrustedListStatus status = lists.status().get(0);
        assertTrue(status.loaded(), status.toString());
        assertFalse(status.signatureValid() || status.trusted(), status.toString());
        assertTrue(String.join(" ", status.problems()).contains("signature"), status.toString());
        assertEquals(Verdict.INDETERMINATE, validate(signedPdf(), lists).verdict());
    }

    @Test
    void anExpiredListGivesNoTrust() throws Exception {
        SigningKey operator = operator("operator");
        Path list = TrustedListWriter.write(dir.resolve("old.xml"), pki.ca.issuing(), operator,
                Instant.now().minus(1, ChronoUnit.DAYS));
        TrustedListStatus status = load(list, operator).status().get(0);
        assertFalse(status.trusted(), status.toString());
        assertTrue(String.join(" ", status.problems()).contains("expired"), status.toString());
    }

    @Test
    void anUnreadableListIsReportedNotThrown() throws Exception {
        SigningKey operator = operator("operator");
        TrustedListStatus missing = load(dir.resolve("missing.xml"), operator).status().get(0);
        assertFalse(missing.loaded() || missing.trusted(), missing.toString());
        assertFalse(missing.problems().isEmpty(), missing.toString());
        Path garbage = Files.writeString(dir.resolve("garbage.xml"), "<not-a-list/>");
        TrustedListStatus bad = load(garbage, operator).status().get(0);
        assertFalse(bad.trusted(), bad.toString());
    }
}
