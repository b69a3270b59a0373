package io.cachet.identity.console.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.identity.Attempt;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.operator.Operator;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.web.ConsoleOrderAction;
import io.cachet.api.web.Pages;

import jakarta.servlet.http.HttpServletRequest;

/**
 * On the order console's page of an order ({@link ConsoleOrderAction}): a link to the review page of each of the
 * order's identity cases, {@code /console/identity/<case>}, "Identity of Anna Maria Eriksson: Awaiting review", with
 * whose identity it is and the attempt as hint. Offered only to the operators who may open that page
 * ({@link Permissions#canReview}: registration officers), whatever the case's status (an ended case is still worth
 * reading), never for an order without a case.
 *
 * <p>The Certificate Manager's comes first; a person who is both has one case, the Certificate Manager's.
 */
@Component(service = ConsoleOrderAction.class, property = "service.ranking:Integer=20")
public class IdentityConsoleAction implements ConsoleOrderAction {

    /** A message of this bundle's pages in the request's language: key and arguments. */
    @FunctionalInterface
    interface Text {
        String of(String key, Object... args);
    }

    private static final Logger LOG = LoggerFactory.getLogger(IdentityConsoleAction.class);

    private final IdentityCases cases;
    private final Pages pages;

    @Activate
    public IdentityConsoleAction(@Reference IdentityCases cases, @Reference Pages pages) {
        this.cases = cases;
        this.pages = pages;
    }

    @Override
    public List<Link> actions(Order order, Operator operator, HttpServletRequest request) {
        try {
            List<Link> links = new ArrayList<>();
            for (OrderRole role : List.of(OrderRole.CERTIFICATE_MANAGER, OrderRole.LEGAL_REPRESENTATIVE)) {
                link(order, operator.roles(), role, cases::forOrder,
                        (key, args) -> pages.message(request, IdentityConsolePages.NAMESPACE, key, args))
                        .ifPresent(links::add);
            }
            return links;
        } catch (RuntimeException e) {
            LOG.warn("The identity cases of order {} could not be read for its console page: {}",
                    order == null ? null : order.id(), e.toString());
            return List.of();
        }
    }

    /**
     * The link to the case of {@code role} in {@code order}, if {@code roles} may open it and there is one.
     *
     * @param casesOf the cases of an order, by its id (asked only when the roles may see a case)
     */
    static Optional<Link> link(Order order, Set<String> roles, OrderRole role,
            Function<String, List<IdentityCase>> casesOf, Text text) {
        if (order == null || !Permissions.canReview(roles)) {
            return Optional.empty();
        }
        List<IdentityCase> all = casesOf.apply(order.id());
        Optional<IdentityCase> found = all == null ? Optional.empty() : all.stream()
                .filter(c -> c != null && c.role() == role && c.id() != null
                        && IdentityReviewServlet.Route.of("/" + c.id()).kind() == IdentityReviewServlet.Route.Kind.CASE)
                .max(Comparator.comparing(IdentityCase::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        IdentityCase c = found.get();
        boolean both = role == OrderRole.CERTIFICATE_MANAGER && order.request() != null
                && order.request().managerIsLegalRepresentative();
        String who = text.of(both ? "identity-console.role.both" : "identity-console.role." + role.id());
        String name = Stream.of(c.givenNames(), c.surname()).filter(Objects::nonNull).map(String::strip)
                .filter(s -> !s.isEmpty()).collect(Collectors.joining(" "));
        String status = c.status() == null ? "" : text.of("identity-console.status." + c.status().name());
        Attempt a = c.currentAttempt();
        String hint = a == null ? text.of("identity-console.action.hintNone", who, c.maxAttempts())
                : text.of("identity-console.action.hint", who, a.number(), c.maxAttempts());
        return Optional.of(new Link(text.of("identity-console.action.label", name.isEmpty() ? who : name, status),
                IdentityReviewServlet.PATH + "/" + c.id(), hint));
    }
}
