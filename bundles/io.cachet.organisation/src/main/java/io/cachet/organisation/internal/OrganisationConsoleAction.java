package io.cachet.organisation.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.operator.Operator;
import io.cachet.api.order.Order;
import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.web.ConsoleOrderAction;
import io.cachet.api.web.Pages;

import jakarta.servlet.http.HttpServletRequest;

/**
 * On the order console's page of an order ({@link ConsoleOrderAction}): a link to the review page of the order's
 * organisation case, {@code /console/organisation/<case>}, "Organisation documents: Waiting for your decision", with
 * how many documents were uploaded as hint. Offered only to the operators who may open that page
 * ({@link ReviewServlet#canReview}: registration officers), whatever the case's status, never for an order without a
 * case. Reads the case from the deployment's database, nothing remote.
 */
@Component(service = ConsoleOrderAction.class, property = "service.ranking:Integer=10")
public class OrganisationConsoleAction implements ConsoleOrderAction {

    /** A message of this bundle's pages in the request's language: key and arguments. */
    @FunctionalInterface
    interface Text {
        String of(String key, Object... args);
    }

    /** The case ids {@link ReviewServlet} answers for. */
    private static final Pattern CASE_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final Logger LOG = LoggerFactory.getLogger(OrganisationConsoleAction.class);

    private final OrganisationService service;
    private final Pages pages;

    @Activate
    public OrganisationConsoleAction(@Reference OrganisationComponent organisation, @Reference Pages pages) {
        this(organisation.service(), pages);
    }

    OrganisationConsoleAction(OrganisationService service, Pages pages) {
        this.service = service;
        this.pages = pages;
    }

    @Override
    public List<Link> actions(Order order, Operator operator, HttpServletRequest request) {
        try {
            return link(order, operator.roles(), service::forOrder,
                    (key, args) -> pages.message(request, OrganisationPages.NAMESPACE, key, args)).stream().toList();
        } catch (RuntimeException e) {
            LOG.warn("The organisation case of order {} could not be read for its console page: {}",
                    order == null ? null : order.id(), e.toString());
            return List.of();
        }
    }

    /**
     * The link to the organisation case of {@code order}, if {@code roles} may open it and there is one.
     *
     * @param caseOf the case of an order, by its id (asked only when the roles may see a case)
     */
    static Optional<Link> link(Order order, Set<String> roles, Function<String, Optional<OrganisationCase>> caseOf,
            Text text) {
        if (order == null || !ReviewServlet.canReview(roles)) {
            return Optional.empty();
        }
        Optional<OrganisationCase> found = caseOf.apply(order.id());
        if (found == null || found.isEmpty() || found.get().id() == null
                || !CASE_ID.matcher(found.get().id()).matches()) {
            return Optional.empty();
        }
        OrganisationCase k = found.get();
        String status = k.status() == null ? "" : text.of("organisation.console.status." + k.status());
        if (status.startsWith("??") && status.endsWith("??")) {
            status = k.status(); // a status of a later version, without words here yet
        }
        int documents = k.documents().size();
        String hint = documents == 0 ? text.of("organisation.console.noDocuments")
                : text.of("organisation.console.action.hint", documents);
        return Optional.of(new Link(text.of("organisation.console.action.label", status),
                ReviewServlet.PATH + "/" + k.id(), hint));
    }
}
