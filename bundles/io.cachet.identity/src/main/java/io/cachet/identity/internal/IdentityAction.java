package io.cachet.identity.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.StatusAction;
import io.cachet.api.web.BundleMessages;

/**
 * The status page's link to the person's own identity proofing ({@value StartServlet#STATUS_PATH}/&lt;status
 * token&gt;) while the order is in verification and their identity is still to be proven: "Identify yourself", or
 * "Continue your identification" once an attempt is open. So a person who lost the identity e-mail, or who comes
 * back from the reminder, goes on from the status page.
 */
@Component(service = StatusAction.class)
public class IdentityAction implements StatusAction {

    private static final BundleMessages TEXT = BundleMessages.of(IdentityAction.class, IdentityPages.NAMESPACE);

    private final IdentityComponent identity;

    @Activate
    public IdentityAction(@Reference IdentityComponent identity) {
        this.identity = identity;
    }

    @Override
    public Optional<Link> action(Order order, OrderRole viewer, String statusToken, String language) {
        return link(identity.cases(), order, viewer, statusToken, language);
    }

    static Optional<Link> link(CaseService cases, Order order, OrderRole viewer, String statusToken,
            String language) {
        if (order.state() != OrderState.VERIFICATION || statusToken == null || viewer == null) {
            return Optional.empty();
        }
        Optional<IdentityCase> k = cases.forOrder(order.id()).stream().filter(c -> c.role() == viewer).findFirst();
        if (k.isEmpty() || k.get().status() != CaseStatus.OPEN && k.get().status() != CaseStatus.IN_PROGRESS) {
            return Optional.empty();
        }
        String which = k.get().status() == CaseStatus.OPEN ? "start" : "continue";
        return Optional.of(new Link(TEXT.text(language, "identity.action." + which),
                StartServlet.STATUS_PATH + "/" + statusToken, TEXT.text(language, "identity.action.hint")));
    }
}
