package io.cachet.organisation.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.order.CheckState;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.organisation.OrganisationDocument;
import io.cachet.api.organisation.OrganisationException;
import io.cachet.api.organisation.RegistryLookup;
import io.cachet.api.security.Digests;

/** The organisation cases on H2 and PostgreSQL with the real order state machine, audit log and vault. */
class OrganisationServiceTest {

    @TempDir
    Path dir;

    static List<String> products() {
        return io.cachet.store.testing.TestDatabases.products().toList();
    }

    private static CheckState check(Fixture f, String orderId) {
        return f.orders.find(orderId).orElseThrow().checks().stream()
                .filter(c -> c.kind().equals(OrganisationService.KIND)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("products")
    void anExtractIsUploadedEncryptedCheckedAndApproved(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.submit(null);
            OrganisationCase k = f.service.forOrder(o.id()).orElseThrow();
            assertEquals(OrganisationCase.AWAITING_DOCUMENTS, k.status());
            assertEquals(f.service.open(o).id(), k.id(), "opening again is idempotent");

            byte[] kbis = Fixture.kbis(LocalDate.parse("2026-11-20"), "ACME SAS", "552100554", "Anna Maria ERIKSSON");
            OrganisationCase up = f.service.upload(o.id(), OrganisationDocument.EXTRACT, "C:\\docs\\kbis.pdf", kbis,
                    "customer");
            assertEquals(OrganisationCase.IN_REVIEW, up.status());
            assertEquals(LocalDate.parse("2026-11-20"), up.extractIssued(), "read from the PDF");
            OrganisationDocument d = up.documents().get(0);
            assertEquals("kbis.pdf", d.fileName());
            assertEquals("application/pdf", d.mediaType());
            assertEquals(kbis.length, d.size());
            assertEquals(Digests.sha256Hex(kbis), d.sha256());
            for (String name : List.of("identifier.format", "vat.key", "extract.date", "extract.identifier",
                    "extract.name", "legal-representative")) {
                assertTrue(up.checks().get(name).startsWith("PASSED"), name + ": " + up.checks().get(name));
            }
            assertTrue(up.checks().get("registry").startsWith("UNKNOWN"), "no register look-up installed");

            // at rest the document is not the plaintext; opened, it is
            byte[] stored = f.db.database().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT data FROM organisation_document")) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBytes(1);
                    }
                }
            });
            assertFalse(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1).contains("%PDF"));
            try (InputStream in = f.service.openDocument(k.id(), d.id(), "operator:ra")) {
                assertArrayEquals(kbis, in.readAllBytes());
            }
            assertEquals(1, f.records("organisation.document.read").size());
            assertEquals(List.of(k.id()), f.service.queue(10).stream().map(OrganisationCase::id).toList());

            OrganisationException noBasis = assertThrows(OrganisationException.class,
                    () -> f.service.decide(k.id(), true, null, null, "operator:ra"));
            assertEquals("basis.missing", noBasis.code());
            assertEquals("basis.no-mandate", assertThrows(OrganisationException.class,
                    () -> f.service.decide(k.id(), true, "MANDATE", null, "operator:ra")).code());

            OrganisationCase approved = f.service.decide(k.id(), true, "EXTRACT", null, "operator:ra");
            assertEquals(OrganisationCase.APPROVED, approved.status());
            assertEquals("EXTRACT", approved.legalRepresentativeBasis());
            assertEquals("ra", approved.decidedBy());
            assertEquals(CheckStatus.PASSED, check(f, o.id()).status());
            assertEquals(OrderState.ACCEPTANCE, f.orders.find(o.id()).orElseThrow().state(),
                    "the only check of the state passed");
            assertEquals(1, f.records("organisation.case.approved").size());
            assertEquals("order:" + o.id(), f.records("organisation.case.approved").get(0).subject());
            assertEquals("case.not-in-review", assertThrows(OrganisationException.class,
                    () -> f.service.decide(k.id(), false, null, "again", "operator:ra")).code());
            assertTrue(f.service.queue(10).isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void badUploadsAreRefusedWithNothingStored(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.submit(null);
            String caseId = f.service.forOrder(o.id()).orElseThrow().id();
            OrganisationException old = assertThrows(OrganisationException.class, () -> f.service.upload(o.id(),
                    OrganisationDocument.EXTRACT, "old.pdf", Fixture.kbis(LocalDate.parse("2026-08-30"), "ACME SAS",
                            "552100554", "Anna Maria ERIKSSON"), "customer"));
            assertEquals("extract.too-old", old.code());
            assertEquals(List.of("2026-08-30", "3"), old.args());
            OrganisationException other = assertThrows(OrganisationException.class, () -> f.service.upload(o.id(),
                    OrganisationDocument.EXTRACT, "globex.pdf", Fixture.kbis(LocalDate.parse("2026-11-20"),
                            "GLOBEX SARL", "732829320", "Jean DUPONT"), "customer"));
            assertEquals("extract.other-organisation", other.code());
            assertEquals("file.type", assertThrows(OrganisationException.class, () -> f.service.upload(o.id(),
                    OrganisationDocument.EXTRACT, "x.txt", "hello".getBytes(), "customer")).code());
            assertEquals("file.empty", assertThrows(OrganisationException.class, () -> f.service.upload(o.id(),
                    OrganisationDocument.EXTRACT, "x.pdf", new byte[0], "customer")).code());
            assertEquals("kind.unknown", assertThrows(OrganisationException.class, () -> f.service.upload(o.id(),
                    "PASSPORT", "x.pdf", Fixture.pdf("x"), "customer")).code());
            f.settings.set(new Settings(2048, 3, 60, 5));
            assertEquals("file.too-large", assertThrows(OrganisationException.class, () -> f.service.upload(o.id(),
                    OrganisationDocument.MANDATE, "big.png", new byte[4096], "customer")).code());
            f.settings.set(Settings.DEFAULTS);
            assertEquals("file.unreadable", assertThrows(OrganisationException.class, () -> f.service.upload(o.id(),
                    OrganisationDocument.MANDATE, "m.pdf", "%PDF-1.7 broken".getBytes(), "customer")).code());

            OrganisationCase k = f.service.find(caseId).orElseThrow();
            assertEquals(OrganisationCase.AWAITING_DOCUMENTS, k.status());
            assertTrue(k.documents().isEmpty());
            assertEquals(5, f.records("organisation.document.refused").size(),
                    "refused files audited (not an empty form nor an unknown kind)");
            assertEquals(CheckStatus.PENDING, check(f, o.id()).status());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aRejectionIsToldToTheCustomerWhoUploadsAgain(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.submit(Fixture.JEAN);
            // an image: nothing can be read; the operator enters the date read on it
            OrganisationCase up = f.service.upload(o.id(), OrganisationDocument.EXTRACT, "kbis.png", Fixture.png(),
                    "customer");
            assertEquals(OrganisationCase.IN_REVIEW, up.status());
            assertTrue(up.checks().get("extract.date").startsWith("UNKNOWN"));
            assertEquals("extract.date-missing", assertThrows(OrganisationException.class,
                    () -> f.service.decide(up.id(), true, "EXTRACT", null, "operator:ra")).code());
            assertEquals("reason.missing", assertThrows(OrganisationException.class,
                    () -> f.service.decide(up.id(), false, null, "  ", "operator:ra")).code());

            OrganisationCase rejected = f.service.decide(up.id(), false, null,
                    "Jean Dupont is not named in the extract: add the mandate.", "operator:ra");
            assertEquals(OrganisationCase.REJECTED, rejected.status());
            CheckState failed = check(f, o.id());
            assertEquals(CheckStatus.FAILED, failed.status());
            assertEquals("Jean Dupont is not named in the extract: add the mandate.", failed.detail());
            assertEquals(1, f.notifier.sent.size());
            assertEquals("organisation.rejected", f.notifier.sent.get(0).template());
            assertEquals(Fixture.ANNA.email(), f.notifier.sent.get(0).recipient());

            OrganisationCase again = f.service.upload(o.id(), OrganisationDocument.MANDATE, "mandat.pdf",
                    Fixture.pdf("Mandat", "Je soussigné Jean Dupont"), "customer");
            assertEquals(OrganisationCase.IN_REVIEW, again.status(), "an extract was there before");
            assertEquals(CheckStatus.PENDING, check(f, o.id()).status(), "the check waits again");
            assertTrue(again.checks().get("mandate").startsWith("PASSED"));

            f.clock.set(Instant.parse("2026-12-03T09:00:00Z"));
            assertEquals("extract.date-future", assertThrows(OrganisationException.class,
                    () -> f.service.recordExtractDate(up.id(), LocalDate.parse("2026-12-04"), "operator:ra")).code());
            OrganisationCase dated = f.service.recordExtractDate(up.id(), LocalDate.parse("2026-11-28"), "operator:ra");
            assertTrue(dated.checks().get("extract.date").startsWith("PASSED: issued 2026-11-28 (entered by ra)"),
                    dated.checks().get("extract.date"));
            OrganisationCase approved = f.service.decide(up.id(), true, "mandate", null, "operator:ra");
            assertEquals("MANDATE", approved.legalRepresentativeBasis());
            assertEquals(CheckStatus.PASSED, check(f, o.id()).status());
            assertEquals(OrderState.ACCEPTANCE, f.orders.find(o.id()).orElseThrow().state());
            assertEquals("order.not-open", assertThrows(OrganisationException.class, () -> f.service.upload(o.id(),
                    OrganisationDocument.MANDATE, "m.pdf", Fixture.pdf("x"), "customer")).code());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aDecisionWhileTheOrderServiceIsAwayIsReportedByTheJob(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.submit(null);
            OrganisationCase up = f.service.upload(o.id(), OrganisationDocument.EXTRACT, "k.pdf",
                    Fixture.kbis(LocalDate.parse("2026-11-20"), "ACME SAS", "552100554", "Anna Maria ERIKSSON"),
                    "customer");
            f.ordersDown = true;
            f.service.decide(up.id(), true, "EXTRACT", null, "operator:ra");
            assertEquals(CheckStatus.PENDING, check(f, o.id()).status());
            f.ordersDown = false;
            assertEquals(1, f.service.runDueJobs(10));
            assertEquals(CheckStatus.PASSED, check(f, o.id()).status());
            assertEquals(0, f.service.runDueJobs(10), "done once");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void anInstalledRegistryIsAskedAndShown(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            f.registries.add(new RegistryLookup() {
                @Override
                public boolean supports(String country) {
                    return "FR".equals(country);
                }

                @Override
                public Optional<Entry> lookup(String country, String identifier) {
                    return Optional.of(new Entry("ACME SAS", identifier, true, List.of("Anna Maria ERIKSSON"),
                            "Test register", Instant.parse("2026-12-02T09:00:00Z")));
                }
            });
            Order o = f.submit(null);
            OrganisationCase up = f.service.upload(o.id(), OrganisationDocument.EXTRACT, "k.pdf",
                    Fixture.kbis(LocalDate.parse("2026-11-20"), "ACME SAS", "552100554", "Anna Maria ERIKSSON"),
                    "customer");
            assertTrue(up.checks().get("registry").startsWith("PASSED: Test register"), up.checks().get("registry"));
            assertNotNull(up.checks().get("registry"));
        }
    }
}
