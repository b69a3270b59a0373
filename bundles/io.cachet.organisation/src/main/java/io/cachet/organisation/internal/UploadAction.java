package io.cachet.organisation.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.StatusAction;
import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.web.BundleMessages;

/**
 * The status page's link to the upload page ({@value UploadServlet#PATH}/&lt;status token&gt;) while the order is in
 * verification and its organisation is not verified yet: "Upload the register's extract", or "Upload a new
 * extract" after a rejection (whose reason the hint repeats).
 */
@Component(service = StatusAction.class)
public class UploadAction implements StatusAction {

    private static final BundleMessages TEXT = BundleMessages.of(UploadAction.class, OrganisationPages.NAMESPACE);

    private final OrganisationComponent organisation;

    @Activate
    public UploadAction(@Reference OrganisationComponent organisation) {
        this.organisation = organisation;
    }

    @Override
    public Optional<Link> action(Order order, OrderRole viewer, String statusToken, String language) {
        return link(organisation.service(), order, statusToken, language);
    }

    static Optional<Link> link(OrganisationService service, Order order, String statusToken, String language) {
        if (order.state() != OrderState.VERIFICATION || statusToken == null) {
            return Optional.empty();
        }
        Optional<OrganisationCase> k = service.forOrder(order.id());
        if (k.isEmpty() || OrganisationCase.APPROVED.equals(k.get().status())) {
            return Optional.empty();
        }
        String status = k.get().status();
        String label = TEXT.text(language, "organisation.action." + status);
        String hint = OrganisationCase.REJECTED.equals(status)
                ? TEXT.text(language, "organisation.action.rejected.hint", k.get().reason())
                : TEXT.text(language, "organisation.action." + status + ".hint");
        return Optional.of(new Link(label, UploadServlet.PATH + "/" + statusToken, hint));
    }
}
