package io.cachet.acceptance.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.acceptance.AcceptanceRecord;
import io.cachet.api.acceptance.PersonAcceptance;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.StatusAction;
import io.cachet.api.web.BundleMessages;

/**
 * The status page's link to the person's acceptance form ({@value AcceptanceService#PATH}/&lt;status token&gt;, which
 * {@link AcceptanceServlet} opens as the person's own form) while the order waits for their acceptance: so a person
 * who lost the acceptance e-mail, or who comes from the reminder before expiry, signs from the status page.
 */
@Component(service = StatusAction.class)
public class StatusAcceptance implements StatusAction {

    private static final BundleMessages TEXT = BundleMessages.of(StatusAcceptance.class, AcceptancePages.NAMESPACE);

    private final AcceptancesComponent acceptances;

    @Activate
    public StatusAcceptance(@Reference AcceptancesComponent acceptances) {
        this.acceptances = acceptances;
    }

    @Override
    public Optional<Link> action(Order order, OrderRole viewer, String statusToken, String language) {
        return link(acceptances.forOrder(order.id()), order, viewer, statusToken, language);
    }

    static Optional<Link> link(Optional<AcceptanceRecord> record, Order order, OrderRole viewer, String statusToken,
            String language) {
        if (order.state() != OrderState.ACCEPTANCE || statusToken == null || viewer == null || record.isEmpty()) {
            return Optional.empty();
        }
        Optional<PersonAcceptance> me = record.get().persons().stream().filter(p -> p.roles().contains(viewer))
                .findFirst();
        if (me.isEmpty() || me.get().accepted()) {
            return Optional.empty();
        }
        return Optional.of(new Link(TEXT.text(language, "acceptance.action"), AcceptanceService.PATH + "/"
                + statusToken, TEXT.text(language, "acceptance.action.hint")));
    }
}
