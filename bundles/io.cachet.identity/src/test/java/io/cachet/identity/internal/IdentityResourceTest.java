package io.cachet.identity.internal;

import static io.cachet.api.testing.TestCallers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import io.cachet.api.audit.AuditRecord;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.EvidenceKind;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.rest.ApiException;
import io.cachet.identity.internal.rest.IdentityResource;
import io.cachet.identity.internal.rest.IdentityResource.CaseList;
import io.cachet.identity.internal.rest.IdentityResource.CaseView;
import io.cachet.identity.internal.rest.IdentityResource.DecisionRequest;
import io.cachet.identity.internal.rest.IdentityResource.Queue;
import io.cachet.store.testing.TestDatabases;

/**
 * {@code /api/v1/identity} as plain Java on the real identity cases (H2 and PostgreSQL, the real order state machine,
 * audit log and vault): what each role reads, a decision passing the order's check, refusals changing nothing, and
 * the second approval coming from another person whether the first came from the console or the API. Roles and JSON
 * are the REST platform's (proven over HTTP by the journey ITs).
 */
class IdentityResourceTest {

    @TempDir
    Path dir;

    private final List<Fixture> open = new ArrayList<>();

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    @AfterEach
    void close() {
        open.forEach(Fixture::close);
    }

    /** Brings a case to review as the phone flow does: document, selfie, zone, submit. */
    static IdentityCase inReview(Fixture f, IdentityCase k) throws Exception {
        f.cases.start(k.orderId(), k.role(), "en");
        f.cases.addImage(k.id(), EvidenceKind.DOCUMENT_FRONT, EvidenceFlowTest.jpeg(1080, 1920), "customer");
        f.cases.addImage(k.id(), EvidenceKind.SELFIE, EvidenceFlowTest.jpeg(1080, 1920), "customer");
        String mrz = k.role() == OrderRole.CERTIFICATE_MANAGER
                ? EvidenceFlowTest.td3("ERIKSSON", "ANNA MARIA", "740812", "340415")
                : EvidenceFlowTest.td3("DUPONT", "JEAN", "600301", "340415");
        f.cases.submitDocument(k.id(), "passport", mrz, "customer");
        return f.cases.submit(k.id(), "customer");
    }

    @SuppressWarnings("unchecked")
    static <T> T entity(Response r) {
        assertEquals(200, r.getStatus());
        assertEquals("no-store", r.getHeaderString("Cache-Control"));
        return (T) r.getEntity();
    }

    private List<AuditRecord> records(Fixture f, String subject, String action) {
        return f.audit.read(1, 100_000).stream().filter(r -> r.subject().equals(subject)
                && r.action().equals(action)).toList();
    }

    @ParameterizedTest
    @MethodSource("products")
    void operatorsReadAnOrdersCasesAndAnOfficersApprovalPassesTheOrdersCheck(String product) throws Exception {
        Fixture f = new Fixture(product, dir, Map.of());
        open.add(f);
        IdentityResource resource = new IdentityResource(f.cases);
        Order o = f.submit(Fixture.JEAN, null, null);

        CaseList list = entity(resource.forOrder(o.id()));
        assertEquals(o.id(), list.orderId());
        assertEquals(List.of("CERTIFICATE_MANAGER", "LEGAL_REPRESENTATIVE"),
                list.cases().stream().map(CaseView::role).sorted().toList());
        assertTrue(list.cases().stream().allMatch(c -> c.status().equals("OPEN") && c.attempts().isEmpty()));
        assertTrue(((CaseList) entity(resource.forOrder("ord_unknown"))).cases().isEmpty());
        assertEquals(400, assertThrows(ApiException.class, () -> resource.forOrder(" ")).status());

        IdentityCase anna = inReview(f, f.caseOf(o, OrderRole.CERTIFICATE_MANAGER));
        Queue queue = entity(resource.queue(50));
        assertEquals(List.of(anna.id()), queue.cases().stream().map(IdentityResource.QueueItem::id).toList());
        assertEquals(1, queue.cases().get(0).attempt());
        assertEquals(400, assertThrows(ApiException.class, () -> resource.queue(0)).status());

        // support reads the case without what the zone said, and nothing is recorded as a view of the evidence
        CaseView bySupport = entity(resource.read(as("sam", "support"), anna.id()));
        assertEquals("REVIEW", bySupport.status());
        assertEquals("Eriksson", bySupport.surname());
        assertTrue(bySupport.attempts().get(0).mrzAccepted());
        assertNull(bySupport.attempts().get(0).mrz());
        assertEquals(List.of("document-front", "selfie"), bySupport.attempts().get(0).evidence().stream()
                .map(IdentityResource.EvidenceView::kind).toList());
        assertTrue(records(f, "identity-case:" + anna.id(), "identity.case.viewed").isEmpty());
        // an officer reads it with the zone's data; the read is audited with the API caller
        CaseView byOfficer = entity(resource.read(as("olga", "ra-officer"), anna.id()));
        assertEquals("L898902C3", byOfficer.attempts().get(0).mrz().documentNumber());
        assertEquals("api:olga", records(f, "identity-case:" + anna.id(), "identity.case.viewed").get(0).actor());
        assertEquals(404, assertThrows(ApiException.class, () -> resource.read(as("olga", "ra-officer"),
                "idc_nothing")).status());

        assertTrue(resource.rejectionReasons().reasons().contains("selfie-mismatch"));

        CaseView approved = entity(resource.decide(as("olga", "ra-officer"), anna.id(),
                new DecisionRequest("approve", null, "", null)));
        assertEquals("APPROVED", approved.status());
        assertEquals("olga", approved.decisions().get(0).operator(), "the login, not the door it came through");
        assertEquals(CheckStatus.PASSED, f.orders.find(o.id()).orElseThrow().checks().stream()
                .filter(c -> c.kind().equals("identity.certificate-manager")).findFirst().orElseThrow().status());
        assertFalse(records(f, "identity-case:" + anna.id(), "identity.case.approved").isEmpty());
        assertTrue(((Queue) entity(resource.queue(50))).cases().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("products")
    void badDecisionsAreRefusedByFieldAndChangeNothing(String product) throws Exception {
        Fixture f = new Fixture(product, dir, Map.of());
        open.add(f);
        IdentityResource resource = new IdentityResource(f.cases);
        Order o = f.submit(null, null, null);
        IdentityCase opened = f.caseOf(o, OrderRole.CERTIFICATE_MANAGER);
        SecurityContext olga = as("olga", "ra-officer");

        ApiException early = assertThrows(ApiException.class, () -> resource.decide(olga, opened.id(),
                new DecisionRequest("approve", null, null, null)));
        assertEquals(409, early.status(), "not in review yet");

        IdentityCase k = inReview(f, opened);
        record Bad(DecisionRequest body, String field) {
        }
        for (Bad bad : List.of(new Bad(null, "decision"), new Bad(new DecisionRequest("maybe", null, null, null),
                "'decision'"), new Bad(new DecisionRequest("reject", null, null, null), "'reason'"),
                new Bad(new DecisionRequest("reject", "looks-odd", null, null), "'reason'"),
                new Bad(new DecisionRequest("approve", "selfie-mismatch", null, null), "'reason'"),
                new Bad(new DecisionRequest("reject", "selfie-mismatch", "x".repeat(1001), null), "'comment'"))) {
            ApiException e = assertThrows(ApiException.class, () -> resource.decide(olga, k.id(), bad.body()));
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains(bad.field()), e.getMessage());
        }
        assertEquals(404, assertThrows(ApiException.class, () -> resource.decide(olga, "idc_nothing",
                new DecisionRequest("approve", null, null, null))).status());
        IdentityCase after = f.cases.find(k.id()).orElseThrow();
        assertEquals(CaseStatus.REVIEW, after.status());
        assertTrue(after.decisions().isEmpty());

        // a rejection with attempts left sends the person back with the reason
        CaseView rejected = entity(resource.decide(olga, k.id(), new DecisionRequest("reject", "selfie-mismatch",
                "Please take the selfie in daylight.", null)));
        assertEquals("OPEN", rejected.status());
        assertEquals("selfie-mismatch", rejected.decisions().get(0).reason());
        assertEquals(CheckStatus.PENDING, f.orders.find(o.id()).orElseThrow().checks().get(0).status());
        assertEquals(409, assertThrows(ApiException.class, () -> resource.decide(olga, k.id(),
                new DecisionRequest("approve", null, null, null))).status(), "decided already");
    }

    @ParameterizedTest
    @MethodSource("products")
    void aSecondApprovalMustComeFromAnotherPersonThroughEitherDoor(String product) throws Exception {
        Fixture f = new Fixture(product, dir, Map.of("secondApproval", true));
        open.add(f);
        IdentityResource resource = new IdentityResource(f.cases);
        Order o = f.submit(null, null, null);
        IdentityCase k = inReview(f, f.caseOf(o, OrderRole.CERTIFICATE_MANAGER));

        CaseView first = entity(resource.decide(as("olga", "ra-officer"), k.id(),
                new DecisionRequest("approve", null, null, null)));
        assertEquals("REVIEW", first.status());
        assertEquals(1, first.approvals());
        // the same officer again, in the console (actor operator:olga) or over the API: refused
        assertEquals(409, assertThrows(ApiException.class, () -> resource.decide(as("olga", "ra-officer"), k.id(),
                new DecisionRequest("approve", null, null, null))).status());
        assertThrows(io.cachet.api.identity.IdentityException.class,
                () -> f.cases.decide(k.id(), true, null, "", false, "operator:olga"));
        assertEquals(1, f.cases.find(k.id()).orElseThrow().decisions().size());

        CaseView second = entity(resource.decide(as("rita", "ra-officer"), k.id(),
                new DecisionRequest("approve", null, null, null)));
        assertEquals("APPROVED", second.status());
        assertNotNull(second.decisions().get(1).at());
        assertEquals(List.of("olga", "rita"), second.decisions().stream().map(IdentityResource.DecisionView::operator)
                .toList());
    }
}
