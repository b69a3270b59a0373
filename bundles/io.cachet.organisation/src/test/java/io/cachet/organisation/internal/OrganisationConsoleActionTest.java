package io.cachet.organisation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.operator.Operator;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.organisation.OrganisationDocument;
import io.cachet.api.web.ConsoleOrderAction.Link;
import io.cachet.api.web.Pages;
import io.cachet.web.testing.TestPages;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The link to an order's organisation case offered on the order console's page, on the real cases (H2) and this
 * bundle's real messages: to registration officers only, the case's status in words, nothing without a case.
 */
class OrganisationConsoleActionTest {

    @TempDir
    Path dir;

    final Pages pages = TestPages.create(new OrganisationPages());

    static HttpServletRequest request(String language) {
        return ReviewServletTest.request("GET", "/", "olga", Map.of("lang", language));
    }

    static Operator op(String... roles) {
        return new Operator("someone", Set.of(roles), false);
    }

    @Test
    void anOfficerIsOfferedTheCaseOthersAreNotAndAnOrderWithoutCaseOffersNothing() {
        Fixture f = new Fixture("h2", dir);
        OrganisationConsoleAction action = new OrganisationConsoleAction(f.service, pages);
        Order o;
        try {
            o = f.submit(null);
            String caseId = f.service.forOrder(o.id()).orElseThrow().id();
            Link awaiting = action.actions(o, op("ra-officer"), request("en")).get(0);
            assertEquals("Organisation documents: Waiting for the customer's documents", awaiting.label());
            assertEquals("/console/organisation/" + caseId, awaiting.path());
            assertEquals("No document uploaded yet.", awaiting.hint());

            f.service.upload(o.id(), OrganisationDocument.EXTRACT, "kbis.pdf", Fixture.kbis(LocalDate.parse(
                    "2026-11-20"), "ACME SAS", "552100554", "Anna Maria ERIKSSON"), "customer");
            Link review = action.actions(o, op("ra-officer", "support"), request("en")).get(0);
            assertEquals("Organisation documents: Waiting for your decision", review.label());
            assertEquals("1 document(s) uploaded.", review.hint());
            Link fr = action.actions(o, op("ra-officer"), request("fr")).get(0);
            assertEquals("Documents de l'organisation : En attente de votre décision", fr.label());
            assertEquals("1 document(s) déposé(s).", fr.hint());

            for (Set<String> roles : List.of(Set.of("admin"), Set.of("support"), Set.of("auditor"),
                    Set.of("operator"), Set.of("admin", "support", "auditor", "operator"), Set.<String>of())) {
                assertFalse(ReviewServlet.canReview(roles), "the case page refuses " + roles);
                assertTrue(action.actions(o, new Operator("x", roles, false), request("en")).isEmpty(),
                        roles.toString());
            }

            Order none = new Order("ord_without_case", OrderState.SUBMITTED, o.request(), null, "default", "en",
                    o.createdAt(), o.updatedAt(), null, null, List.of(), 1);
            assertEquals(List.of(), action.actions(none, op("ra-officer"), request("en")));
        } finally {
            f.close();
        }
        assertEquals(List.of(), action.actions(o, op("ra-officer"), request("en")),
                "the database gone: the link is left out, nothing thrown");
    }

    @Test
    void theCaseIsNotReadForRolesThatCannotOpenItAndEveryStatusHasWords() {
        AtomicInteger reads = new AtomicInteger();
        Order o = new Order("ord_1", OrderState.VERIFICATION, null, null, "default", "en", null, null, null, null,
                List.of(), 1);
        assertTrue(OrganisationConsoleAction.link(o, Set.of("admin", "support"), id -> {
            reads.incrementAndGet();
            return Optional.empty();
        }, (key, args) -> key).isEmpty());
        assertEquals(0, reads.get());

        for (String lang : List.of("en", "fr")) {
            for (String status : List.of(OrganisationCase.AWAITING_DOCUMENTS, OrganisationCase.IN_REVIEW,
                    OrganisationCase.APPROVED, OrganisationCase.REJECTED)) {
                OrganisationCase k = new OrganisationCase("org_1", "ord_1", status, List.of(), Map.of(), null, null,
                        null, null, null);
                Link link = OrganisationConsoleAction.link(o, Set.of("ra-officer"), id -> Optional.of(k),
                        (key, args) -> pages.message(request(lang), OrganisationPages.NAMESPACE, key, args))
                        .orElseThrow();
                assertFalse(link.label().contains("??") || link.label().contains(status), lang + ": " + link.label());
                assertTrue(link.label().startsWith(lang.equals("en") ? "Organisation documents: "
                        : "Documents de l'organisation : "), link.label());
                assertEquals("/console/organisation/org_1", link.path());
            }
        }
    }
}
