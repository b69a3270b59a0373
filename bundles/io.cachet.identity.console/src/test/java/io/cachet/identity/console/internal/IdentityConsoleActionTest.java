package io.cachet.identity.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachet.api.identity.Attempt;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.operator.Operator;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Person;
import io.cachet.api.web.ConsoleOrderAction;
import io.cachet.api.web.ConsoleOrderAction.Link;
import io.cachet.api.web.Pages;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestPages;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The links to an order's identity cases offered on the order console's page, with this bundle's real messages: to
 * registration officers only, one per person's case, the case's status in words, nothing for an order without a case.
 */
class IdentityConsoleActionTest {

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final Person ANNA = new Person("Anna Maria", "Eriksson", LocalDate.of(1974, 8, 12), "anna@example.org",
            "+33612345678");
    static final Person BRUNO = new Person("Bruno", "Martin", LocalDate.of(1968, 2, 3), "bruno@example.org",
            "+33698765432");

    InMemoryCases cases;
    Pages pages;
    ConsoleOrderAction action;

    @BeforeEach
    void setUp() {
        cases = new InMemoryCases();
        pages = TestPages.create(new IdentityConsolePages());
        action = new IdentityConsoleAction(cases, pages);
    }

    static Order order(String id, Person legalRepresentative) {
        return new Order(id, OrderState.VERIFICATION, new OrderRequest("enterprise-plus", 1, Medium.CLOUD, ANNA,
                legalRepresentative, null, null), null, "default", "en", T0, T0, null, null, List.of(), 1);
    }

    static IdentityCase kase(String id, String order, OrderRole role, Person p, CaseStatus status, int attempts) {
        List<Attempt> tried = new java.util.ArrayList<>();
        for (int n = 1; n <= attempts; n++) {
            tried.add(new Attempt(n, "mobile", null, "passport", List.of(), null, List.of(), T0, null));
        }
        return new IdentityCase(id, order, role, p.surname(), p.givenNames(), p.birthDate(), p.email(), status,
                "mobile", tried, 3, List.of(), "0.4.0.19461.1.1", T0, T0, null);
    }

    static HttpServletRequest request(String language) {
        return FakeHttp.request("GET", IdentityReviewServlet.PATH, "/ord_1").header("Accept-Language", language).build();
    }

    static Operator op(String... roles) {
        return new Operator("someone", Set.of(roles), false);
    }

    @Test
    void aRegistrationOfficerIsOfferedTheCaseOfEachPerson() {
        cases.put(kase("case-m", "ord_1", OrderRole.CERTIFICATE_MANAGER, ANNA, CaseStatus.OPEN, 0));
        cases.put(kase("case-r", "ord_1", OrderRole.LEGAL_REPRESENTATIVE, BRUNO, CaseStatus.REVIEW, 2));
        cases.put(kase("case-other", "ord_2", OrderRole.CERTIFICATE_MANAGER, BRUNO, CaseStatus.APPROVED, 1));
        Order o = order("ord_1", BRUNO);

        List<Link> links = action.actions(o, op("ra-officer"), request("en"));
        assertEquals(2, links.size(), "one per person, the certificate manager's first");
        Link m = links.get(0);
        assertEquals("Identity of Anna Maria Eriksson: Waiting for the person", m.label());
        assertEquals("/console/identity/case-m", m.path());
        assertEquals("Certificate Manager, no attempt yet (3 allowed).", m.hint());

        Link r = action.actions(o, op("ra-officer", "auditor"), request("en")).get(1);
        assertEquals("Identity of Bruno Martin: Awaiting review", r.label());
        assertEquals("/console/identity/case-r", r.path());
        assertEquals("Legal Representative, attempt 2 of 3.", r.hint());

        Link fr = action.actions(o, op("ra-officer"), request("fr")).get(1);
        assertEquals("Identité de Bruno Martin : En attente d'examen", fr.label());
        assertEquals("Représentant légal, tentative 2 sur 3.", fr.hint());
    }

    @Test
    void onePersonForBothRolesHasOneCaseOneLink() {
        cases.put(kase("case-m", "ord_1", OrderRole.CERTIFICATE_MANAGER, ANNA, CaseStatus.IN_PROGRESS, 1));
        Order o = order("ord_1", null);
        List<Link> links = action.actions(o, op("ra-officer"), request("en"));
        assertEquals(1, links.size(), "no second case, no second link");
        Link m = links.get(0);
        assertEquals("Identity of Anna Maria Eriksson: Person proving their identity", m.label());
        assertEquals("Certificate Manager and Legal Representative, attempt 1 of 3.", m.hint());
    }

    @Test
    void onlyTheRolesThatOpenTheCasePageAreOfferedIt() {
        cases.put(kase("case-m", "ord_1", OrderRole.CERTIFICATE_MANAGER, ANNA, CaseStatus.REVIEW, 1));
        Order o = order("ord_1", null);
        for (Set<String> roles : List.of(Set.of("admin"), Set.of("support"), Set.of("auditor"), Set.of("operator"),
                Set.of("admin", "support", "auditor", "operator"), Set.<String>of())) {
            assertFalse(Permissions.canReview(roles), "the case page refuses " + roles);
            assertTrue(action.actions(o, new Operator("x", roles, false), request("en")).isEmpty(), roles.toString());
        }
        assertEquals(0, cases.forOrderCalls, "the cases are not even read for them");
        assertTrue(Permissions.canReview(Set.of("ra-officer", "admin")));
        assertEquals(1, action.actions(o, op("ra-officer", "admin"), request("en")).size());
    }

    @Test
    void anOrderWithoutCaseOffersNothingAndAFailureIsNoLink() {
        cases.put(kase("case-m", "ord_other", OrderRole.CERTIFICATE_MANAGER, ANNA, CaseStatus.OPEN, 0));
        Order o = order("ord_1", BRUNO);
        assertEquals(List.of(), action.actions(o, op("ra-officer"), request("en")));
        cases.failure = new IllegalStateException("database down");
        assertEquals(List.of(), action.actions(order("ord_other", null), op("ra-officer"), request("en")),
                "a service that fails: the links are left out, nothing thrown");
    }

    @Test
    void everyStatusIsSaidInWordsInBothLanguages() {
        Order o = order("ord_1", null);
        for (String lang : List.of("en", "fr")) {
            for (CaseStatus s : CaseStatus.values()) {
                Optional<Link> link = IdentityConsoleAction.link(o, Set.of("ra-officer"), OrderRole.CERTIFICATE_MANAGER,
                        id -> List.of(kase("case-" + s, id, OrderRole.CERTIFICATE_MANAGER, ANNA, s, 1)),
                        (key, args) -> pages.message(request(lang), IdentityConsolePages.NAMESPACE, key, args));
                String label = link.orElseThrow().label();
                assertFalse(label.contains("??") || label.contains(s.name()), lang + " " + s + ": " + label);
                assertTrue(label.startsWith(lang.equals("en") ? "Identity of Anna Maria Eriksson: "
                        : "Identité de Anna Maria Eriksson : "), label);
                assertEquals("/console/identity/case-" + s, link.get().path());
            }
        }
    }
}
