package io.cachet.delivery.cloud.internal.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.security.Digests;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.delivery.cloud.internal.AuthOutcome;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.delivery.cloud.internal.sign.ClickCertException.Kind;
import io.cachet.delivery.cloud.internal.sign.ClickCertService.SignRequest;
import io.cachet.delivery.cloud.internal.sign.Document.State;
import io.cachet.signature.launch.Signatures;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import io.cachet.store.testing.TestDatabases;

/**
 * Click&amp;Cert's service on H2 and PostgreSQL with a real cloud key (test PKI on a software token) and the real
 * signer: the sealed PDF checked by pdfsig and DSS; sole control (session, re-authentication, the holder's own
 * order and document, the hash shown); bad input; encryption at rest; purge by the clock.
 */
class ClickCertServiceTest {

    @TempDir
    Path dir;

    static Stream<String> products() {
        return TestDatabases.products();
    }

    private byte[] pdf(int pages) throws Exception {
        return Files.readAllBytes(Pdfs.pages(dir.resolve("in-" + pages + ".pdf"), pages));
    }

    private static SignRequest request(String orderId, String password, String sha256, Placement placement) {
        return new SignRequest(orderId, password == null ? null : password.toCharArray(), null, null, sha256,
                placement);
    }

    private Path write(byte[] content, String name) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aPdfIsSealedAtLtWithAVisibleSealAfterReauthenticationAndVerifiesWithPdfsigAndDss(String product)
            throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            f.holderWithSeal("h1", "ord_cloud_1");
            HolderSession s = f.holders.login("h1");

            List<Seal> seals = f.service.seals("h1");
            assertEquals(1, seals.size());
            assertEquals(Seal.Status.VALID, seals.get(0).status());
            assertEquals("ACME SAS", seals.get(0).organisation());
            assertEquals("ord_cloud_1", seals.get(0).orderId());

            byte[] original = pdf(2);
            Document d = f.service.upload(s, "../Contrat de vente.pdf", original);
            assertEquals(State.UPLOADED, d.state());
            assertEquals(2, d.pages());
            assertEquals("Contrat de vente.pdf", d.fileName());
            assertEquals(Digests.sha256Hex(original), d.sha256());

            // at rest: encrypted, never the PDF in clear
            byte[] stored = (byte[]) f.column(d.id(), "original");
            assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("%PDF"));

            PdfFiles.Preview preview = f.service.preview("h1", d.id(), 2);
            assertTrue(preview.widthPixels() <= PdfFiles.MAX_PREVIEW_WIDTH);
            assertEquals((int) 595, (int) preview.page().width());
            assertEquals(0x89, preview.png()[0] & 0xff, "a PNG");

            Document signed = f.service.sign(s, d.id(), request("ord_cloud_1", Fixture.PASSWORD, d.sha256(),
                    Placement.at(2, 300, 700)), "http://localhost", "192.0.2.1");
            assertEquals(State.SIGNED, signed.state());
            assertEquals("LT", signed.level());
            assertEquals("ord_cloud_1", signed.orderId());
            assertNotNull(signed.signedAt());
            assertEquals(f.clock.instant().plus(Duration.ofDays(30)), signed.purgeAt());
            assertNull(f.column(d.id(), "original"), "the original is dropped once signed");

            byte[] out = f.service.signedPdf(s, d.id());
            assertEquals(signed.signedSha256(), Digests.sha256Hex(out));
            assertEquals(signed.signedSize(), out.length);
            Path pdf = write(out, "signed.pdf");
            assertEquals(0, Tools.pdfsigValid(pdf, 1));
            Tools.dssPassed(Signatures.validator().validate(pdf, List.of(), ValidationOptions.trusting(
                    TestPki.get().trustAnchors())), 1, "PAdES-BASELINE-LT");
            try (PDDocument doc = Loader.loadPDF(out)) {
                var sig = doc.getSignatureDictionaries().get(0);
                assertNotNull(sig);
                var widget = doc.getSignatureFields().get(0).getWidgets().get(0);
                assertEquals(doc.getPage(1).getCOSObject(), widget.getPage().getCOSObject(), "on page 2");
            }

            String details = f.audit.last("clickcert.signed");
            assertTrue(details.contains("\"sha256\":\"" + d.sha256() + "\""), details);
            assertTrue(details.contains("\"signedSha256\":\"" + signed.signedSha256() + "\""), details);
            assertTrue(details.contains("\"level\":\"LT\""), details);
            assertTrue(details.contains("\"session\":\"" + s.id() + "\""), details);
            assertTrue(details.contains("\"certificateSerial\":\"" + seals.get(0).serial() + "\""), details);
            assertFalse(f.audit.all().contains(Fixture.PASSWORD), "never a password in the audit log");
            assertEquals(List.of("clickcert.uploaded", "clickcert.signed", "clickcert.downloaded"),
                    f.audit.actions());
            assertEquals(List.of(signed), f.service.history("h1"));
            var verification = f.audit.verify();
            assertTrue(verification.problems().isEmpty(), verification.problems().toString());
            assertEquals(3, verification.recordsChecked(), "the three events are in the real, chained log");
            assertTrue(f.service.history("h2").isEmpty());
            try (var files = Files.list(f.tmp)) {
                assertEquals(0, files.count(), "nothing left in the temporary folder");
            }
        }
    }

    @Test
    void theLevelIsConfigurableAndAnInvisibleSealAtBNeedsNoTimeStamp() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_b");
            f.settings.set(new ClickCertSettings(1 << 20, Level.B, Duration.ofDays(1), Duration.ofHours(1), 60));
            f.seal.set(null); // no TSA needed at B
            HolderSession s = f.holders.login("h1");
            Document d = f.service.upload(s, "b.pdf", pdf(1));
            Document signed = f.service.sign(s, d.id(), request("ord_b", Fixture.PASSWORD, null, null), null,
                    "192.0.2.1");
            assertEquals("B", signed.level());
            Path pdf = write(f.service.signedPdf(s, d.id()), "b-signed.pdf");
            assertEquals(0, Tools.pdfsigValid(pdf, 1));
        }
    }

    @Test
    void anEncryptedPdfAsksForItsPasswordAndStaysEncryptedOnceSigned() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_enc");
            HolderSession s = f.holders.login("h1");
            byte[] encrypted = Files.readAllBytes(Pdfs.encrypted(dir.resolve("enc.pdf"), "open-sesame", "owner-pw"));
            Document d = f.service.upload(s, "enc.pdf", encrypted);
            assertEquals(State.LOCKED, d.state());
            assertTrue(d.encrypted());

            ClickCertException e = assertThrows(ClickCertException.class, () -> f.service.sign(s, d.id(),
                    request("ord_enc", Fixture.PASSWORD, null, null), null, "x"));
            assertEquals(Kind.PASSWORD_REQUIRED, e.kind());
            assertThrows(ClickCertException.class, () -> f.service.preview("h1", d.id(), 1));

            e = assertThrows(ClickCertException.class, () -> f.service.unlock(s, d.id(), "guess".toCharArray()));
            assertEquals(Kind.WRONG_PDF_PASSWORD, e.kind());
            assertEquals(State.LOCKED, f.service.find("h1", d.id()).orElseThrow().state(), "nothing lost");

            Document open = f.service.unlock(s, d.id(), "open-sesame".toCharArray());
            assertEquals(State.UPLOADED, open.state());
            assertEquals(1, open.pages());
            byte[] pw = (byte[]) f.column(d.id(), "pdf_password");
            assertFalse(new String(pw, StandardCharsets.ISO_8859_1).contains("open-sesame"), "kept encrypted");
            assertEquals(0x89, f.service.preview("h1", d.id(), 1).png()[0] & 0xff);

            f.service.sign(s, d.id(), request("ord_enc", Fixture.PASSWORD, open.sha256(), Placement.at(1, 40, 40)),
                    null, "x");
            byte[] out = f.service.signedPdf(s, d.id());
            assertThrows(InvalidPasswordException.class, () -> Loader.loadPDF(out).close(),
                    "still protected by its password");
            assertNull(f.column(d.id(), "pdf_password"), "the password is dropped once signed");
            assertEquals(0, Tools.pdfsigValid(write(out, "enc-signed.pdf"), 1, "-upw", "open-sesame"));
            assertFalse(f.audit.all().contains("open-sesame"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void badUploadsAreRefusedWithAClearMessageStoreNothingAndAreAudited(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            f.holderWithSeal("h1", "ord_1");
            HolderSession s = f.holders.login("h1");

            ClickCertException e = assertThrows(ClickCertException.class, () -> f.service.upload(s, "photo.png",
                    new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0 }));
            assertEquals(Kind.NOT_PDF, e.kind());
            assertEquals("Only PDF documents can be sealed in the cloud space; this file is not a PDF.",
                    e.getMessage());

            e = assertThrows(ClickCertException.class, () -> f.service.upload(s, "empty.pdf", new byte[0]));
            assertEquals(Kind.NOT_PDF, e.kind());

            e = assertThrows(ClickCertException.class, () -> f.service.upload(s, "broken.pdf",
                    "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer garbage".getBytes(
                            StandardCharsets.ISO_8859_1)));
            assertEquals(Kind.CORRUPT, e.kind());

            byte[] good = pdf(1);
            byte[] truncated = java.util.Arrays.copyOf(good, good.length / 3);
            e = assertThrows(ClickCertException.class, () -> f.service.upload(s, "cut.pdf", truncated));
            assertEquals(Kind.CORRUPT, e.kind());

            f.settings.set(new ClickCertSettings(1024 * 1024, Level.LT, Duration.ofDays(30), Duration.ofHours(1),
                    60));
            byte[] big = new byte[1024 * 1024 + 1];
            System.arraycopy(good, 0, big, 0, good.length);
            e = assertThrows(ClickCertException.class, () -> f.service.upload(s, "big.pdf", big));
            assertEquals(Kind.TOO_LARGE, e.kind());
            assertTrue(e.getMessage().contains("1 MB"), e.getMessage());
            assertEquals(1L, e.args()[0]);

            assertTrue(f.service.history("h1").isEmpty(), "nothing stored");
            assertEquals(5, f.refusals().size(), f.refusals().toString());
            assertTrue(f.refusals().get(0).contains("\"reason\":\"not-pdf\""));
            assertTrue(f.refusals().get(4).contains("\"reason\":\"too-large\""));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void nothingIsSignedWithoutTheHoldersReauthenticationOwnOrderOwnDocumentAndTheHashShown(String product)
            throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            f.holderWithSeal("h1", "ord_1");
            f.holderWithSeal("h2", "ord_2");
            HolderSession anna = f.holders.login("h1");
            HolderSession bob = f.holders.login("h2");
            Document d = f.service.upload(anna, "a.pdf", pdf(1));

            // wrong password: refused, audited, the message from the accounts (tries left)
            ClickCertException e = assertThrows(ClickCertException.class, () -> f.service.sign(anna, d.id(),
                    request("ord_1", "wrong", d.sha256(), null), null, "x"));
            assertEquals(Kind.REAUTHENTICATION, e.kind());
            assertEquals(AuthOutcome.Failure.WRONG_PASSWORD, e.failure());
            assertEquals("Wrong password; 4 tries left.", e.getMessage());
            // no password at all: refused before asking the accounts
            e = assertThrows(ClickCertException.class, () -> f.service.sign(anna, d.id(), request("ord_1", null,
                    d.sha256(), null), null, "x"));
            assertEquals(Kind.REAUTHENTICATION, e.kind());

            // a second factor enrolled: required, and checked
            f.holders.factors.get("h1").add("totp");
            e = assertThrows(ClickCertException.class, () -> f.service.sign(anna, d.id(), request("ord_1",
                    Fixture.PASSWORD, d.sha256(), null), null, "x"));
            assertEquals(AuthOutcome.Failure.FACTOR_REQUIRED, e.failure());
            e = assertThrows(ClickCertException.class, () -> f.service.sign(anna, d.id(), new SignRequest("ord_1",
                    Fixture.PASSWORD.toCharArray(), "totp", "000000", d.sha256(), null), null, "x"));
            assertEquals(AuthOutcome.Failure.WRONG_FACTOR, e.failure());

            // another holder's order: refused even with the right credentials
            e = assertThrows(ClickCertException.class, () -> f.service.sign(anna, d.id(), new SignRequest("ord_2",
                    Fixture.PASSWORD.toCharArray(), "totp", Fixture.TOTP, d.sha256(), null), null, "x"));
            assertEquals(Kind.NOT_YOUR_SEAL, e.kind());

            // another holder's document: as if it did not exist; Bob cannot read, sign, preview or remove it
            e = assertThrows(ClickCertException.class, () -> f.service.sign(bob, d.id(), request("ord_2",
                    Fixture.PASSWORD, d.sha256(), null), null, "x"));
            assertEquals(Kind.NOT_FOUND, e.kind());
            assertTrue(f.service.find("h2", d.id()).isEmpty());
            assertThrows(ClickCertException.class, () -> f.service.preview("h2", d.id(), 1));
            assertThrows(ClickCertException.class, () -> f.service.discard(bob, d.id()));

            // a hash other than the document's
            e = assertThrows(ClickCertException.class, () -> f.service.sign(anna, d.id(), new SignRequest("ord_1",
                    Fixture.PASSWORD.toCharArray(), "totp", Fixture.TOTP, "00".repeat(32), null), null, "x"));
            assertEquals(Kind.HASH_MISMATCH, e.kind());

            // the stored document changed after the holder saw its hash
            String shown = d.sha256();
            f.update("UPDATE clickcert_document SET sha256 = ? WHERE id = ?", "ab".repeat(32), d.id());
            e = assertThrows(ClickCertException.class, () -> f.service.sign(anna, d.id(), new SignRequest("ord_1",
                    Fixture.PASSWORD.toCharArray(), "totp", Fixture.TOTP, "ab".repeat(32), null), null, "x"));
            assertEquals(Kind.HASH_MISMATCH, e.kind());
            f.update("UPDATE clickcert_document SET sha256 = ? WHERE id = ?", shown, d.id());

            // a placement off the document
            e = assertThrows(ClickCertException.class, () -> f.service.sign(anna, d.id(), new SignRequest("ord_1",
                    Fixture.PASSWORD.toCharArray(), "totp", Fixture.TOTP, shown, Placement.at(3, 10, 10)), null,
                    "x"));
            assertEquals(Kind.BAD_PLACEMENT, e.kind());
            e = assertThrows(ClickCertException.class, () -> f.service.sign(anna, d.id(), new SignRequest("ord_1",
                    Fixture.PASSWORD.toCharArray(), "totp", Fixture.TOTP, shown, Placement.at(1, 560, 10)), null,
                    "x"));
            assertEquals(Kind.BAD_PLACEMENT, e.kind(), "a box that does not fit on the page");

            assertTrue(f.keys.asked.size() <= 1, "the key was not used for any refusal: " + f.keys.asked);
            assertEquals(State.UPLOADED, f.service.find("h1", d.id()).orElseThrow().state(), "nothing signed");
            assertTrue(f.refusals().stream().anyMatch(r -> r.contains("auth-wrong_password")), f.refusals()
                    .toString());
            assertTrue(f.refusals().stream().anyMatch(r -> r.contains("not-your-seal")));
            assertTrue(f.refusals().stream().anyMatch(r -> r.contains("hash-changed")));
            assertFalse(f.audit.all().contains(Fixture.TOTP), "never a code in the audit log");

            // then the holder signs it
            Document signed = f.service.sign(anna, d.id(), new SignRequest("ord_1", Fixture.PASSWORD.toCharArray(),
                    "totp", Fixture.TOTP, shown, null), null, "x");
            assertEquals(State.SIGNED, signed.state());
            e = assertThrows(ClickCertException.class, () -> f.service.sign(anna, d.id(), new SignRequest("ord_1",
                    Fixture.PASSWORD.toCharArray(), "totp", Fixture.TOTP, shown, null), null, "x"));
            assertEquals(Kind.ALREADY_SIGNED, e.kind());
            assertThrows(ClickCertException.class, () -> f.service.signedPdf(bob, d.id()));

            // a document being signed (another tab) is not signed a second time
            Document other = f.service.upload(anna, "b.pdf", pdf(1));
            f.update("UPDATE clickcert_document SET state = 'SIGNING', claimed_at = ? WHERE id = ?",
                    java.time.OffsetDateTime.ofInstant(f.clock.instant(), java.time.ZoneOffset.UTC), other.id());
            e = assertThrows(ClickCertException.class, () -> f.service.sign(anna, other.id(), new SignRequest(
                    "ord_1", Fixture.PASSWORD.toCharArray(), "totp", Fixture.TOTP, other.sha256(), null), null, "x"));
            assertEquals(Kind.ALREADY_SIGNED, e.kind());
            // a signature interrupted by a crash lets the document go after a while
            f.clock.advance(Duration.ofMinutes(ClickCertService.CLAIM_MINUTES + 1));
            assertEquals(State.SIGNED, f.service.sign(anna, other.id(), new SignRequest("ord_1",
                    Fixture.PASSWORD.toCharArray(), "totp", Fixture.TOTP, other.sha256(), null), null, "x").state());
        }
    }

    @Test
    void aRevokedSealIsListedAsSuchAndCannotSign() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_1");
            f.holders.orders.get("h1").add("ord_pending");
            f.keys.revoked.put("ord_1", new IssuedCertificate.Revocation(f.clock.instant(),
                    RevocationReason.KEY_COMPROMISE));
            List<Seal> seals = f.service.seals("h1");
            assertEquals(List.of(Seal.Status.REVOKED, Seal.Status.PENDING), seals.stream().map(Seal::status).toList());
            assertFalse(seals.get(0).usable());
            HolderSession s = f.holders.login("h1");
            Document d = f.service.upload(s, "a.pdf", pdf(1));
            ClickCertException e = assertThrows(ClickCertException.class, () -> f.service.sign(s, d.id(),
                    request("ord_1", Fixture.PASSWORD, d.sha256(), null), null, "x"));
            assertEquals(Kind.SEAL_UNUSABLE, e.kind());
            assertEquals(State.UPLOADED, f.service.find("h1", d.id()).orElseThrow().state());
        }
    }

    @Test
    void throttledReauthenticationSaysWhenAndAMissingSignerIsTryAgainLater() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_1");
            HolderSession s = f.holders.login("h1");
            Document d = f.service.upload(s, "a.pdf", pdf(1));
            f.signer.set(null);
            ClickCertException e = assertThrows(ClickCertException.class, () -> f.service.sign(s, d.id(),
                    request("ord_1", Fixture.PASSWORD, d.sha256(), null), null, "x"));
            assertEquals(Kind.UNAVAILABLE, e.kind());
            assertEquals(State.UPLOADED, f.service.find("h1", d.id()).orElseThrow().state(), "released for a retry");
            f.signer.set(Fixture.SIGNER);
            f.holders.maxFailures = 0;
            e = assertThrows(ClickCertException.class, () -> f.service.sign(s, d.id(), request("ord_1",
                    Fixture.PASSWORD, d.sha256(), null), null, "x"));
            assertEquals(Kind.THROTTLED, e.kind());
            assertTrue(e.getMessage().contains("10:45 UTC"), e.getMessage());
            assertEquals(State.UPLOADED, f.service.find("h1", d.id()).orElseThrow().state());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void documentsArePurgedWithTheirKeyWhenTheirTimeIsUp(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            f.holderWithSeal("h1", "ord_1");
            f.settings.set(new ClickCertSettings(1 << 22, Level.B, Duration.ofDays(2), Duration.ofMinutes(60), 60));
            HolderSession s = f.holders.login("h1");
            Document pending = f.service.upload(s, "pending.pdf", pdf(1));
            Document kept = f.service.upload(s, "kept.pdf", pdf(1));
            f.service.sign(s, kept.id(), request("ord_1", Fixture.PASSWORD, kept.sha256(), null), null, "x");

            assertEquals(0, f.service.purgeDue());
            f.clock.advance(Duration.ofMinutes(61));
            assertEquals(1, f.service.purgeDue());
            assertEquals(State.PURGED, f.service.find("h1", pending.id()).orElseThrow().state());
            assertNull(f.column(pending.id(), "original"));
            assertNull(f.column(pending.id(), "data_key"), "its key is gone: nothing can open it any more");
            assertEquals(Kind.NOT_FOUND, assertThrows(ClickCertException.class, () -> f.service.preview("h1",
                    pending.id(), 1)).kind());
            assertEquals(0x25, f.service.signedPdf(s, kept.id())[0], "the signed one is still there");

            f.clock.advance(Duration.ofDays(2));
            assertEquals(1, f.service.purgeDue());
            assertEquals(0, f.service.purgeDue());
            Document gone = f.service.find("h1", kept.id()).orElseThrow();
            assertEquals(State.PURGED, gone.state());
            assertEquals(kept.sha256(), gone.sha256(), "the history keeps its record");
            assertNull(f.column(kept.id(), "signed"));
            assertEquals(Kind.NOT_FOUND, assertThrows(ClickCertException.class, () -> f.service.signedPdf(s,
                    kept.id())).kind());
            assertEquals(2, f.audit.actions().stream().filter("clickcert.purged"::equals).count());
        }
    }

    @Test
    void theHolderMayRemoveADocumentAtOnce() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_1");
            HolderSession s = f.holders.login("h1");
            Document d = f.service.upload(s, "a.pdf", pdf(1));
            assertEquals(State.PURGED, f.service.discard(s, d.id()).state());
            assertNull(f.column(d.id(), "data_key"));
            assertTrue(f.audit.actions().contains("clickcert.discarded"));
        }
    }

    static Stream<String> hostile() {
        return Stream.of(
                "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [2 0 R]"
                        + " /Count 1 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
                "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids []"
                        + " /Count 2147483647 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
                "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R]"
                        + " /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 0 0] >> endobj\n"
                        + "trailer << /Root 1 0 R >>\n%%EOF\n",
                "%PDF-1.7\n1 0 obj " + "[".repeat(200_000) + "\ntrailer << /Root 1 0 R >>\n%%EOF\n",
                "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R /Size 99999999"
                        + " >>\nstartxref 999999999\n%%EOF\n");
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void hostilePdfsAreRefusedOrHandledNeverCrashTheServer(String content) throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_1");
            HolderSession s = f.holders.login("h1");
            try {
                Document d = f.service.upload(s, "x.pdf", content.getBytes(StandardCharsets.ISO_8859_1));
                try {
                    f.service.preview("h1", d.id(), 1);
                } catch (ClickCertException e) {
                    assertFalse(e.getMessage().isBlank());
                }
            } catch (ClickCertException e) {
                assertEquals(Kind.CORRUPT, e.kind(), e.getMessage());
            }
            // and the service still works
            Document ok = f.service.upload(s, "ok.pdf", pdf(1));
            assertEquals(State.UPLOADED, ok.state());
        }
    }

    @Test
    void atLtaTheSealCarriesAnArchiveTimeStamp() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_lta");
            f.settings.set(new ClickCertSettings(1 << 22, Level.LTA, Duration.ofDays(1), Duration.ofHours(1), 60));
            HolderSession s = f.holders.login("h1");
            Document d = f.service.upload(s, "lta.pdf", pdf(1));
            assertEquals("LTA", f.service.sign(s, d.id(), request("ord_lta", Fixture.PASSWORD, d.sha256(), null),
                    null, "x").level());
            Path pdf = write(f.service.signedPdf(s, d.id()), "lta-signed.pdf");
            assertEquals(1, Tools.pdfsigValid(pdf, 1), "one seal and one document time-stamp");
            Tools.dssPassed(Signatures.validator().validate(pdf, List.of(), ValidationOptions.trusting(
                    TestPki.get().trustAnchors())), 1, "PAdES-BASELINE-LTA");
        }
    }

    @Test
    void fileNamesAreCleaned() {
        assertEquals("x.pdf", ClickCertService.cleanName("C:\\Users\\a\\x.pdf"));
        assertEquals("document.pdf", ClickCertService.cleanName(null));
        assertEquals("rapport.pdf", ClickCertService.cleanName("rapport"));
        assertEquals("ab.pdf", ClickCertService.cleanName("a\u0000b<>.pdf"));
    }
}
