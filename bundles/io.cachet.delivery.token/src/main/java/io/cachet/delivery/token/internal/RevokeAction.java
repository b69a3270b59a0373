package io.cachet.delivery.token.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.StatusAction;
import io.cachet.api.web.BundleMessages;

/**
 * The status page's link to {@value TokenPinServlet#PATH}/&lt;status token&gt;/revoke for the certificate manager of a
 * token order whose token has left us and whose certificate is not revoked: "Token lost or stolen? Revoke its
 * certificate" — also once the order is ACTIVE, when the PIN's page is no longer offered.
 */
@Component(service = StatusAction.class)
public class RevokeAction implements StatusAction {

    private static final BundleMessages TEXT = BundleMessages.of(RevokeAction.class, TokenPages.NAMESPACE);

    private final TokenDeliveriesComponent deliveries;

    @Activate
    public RevokeAction(@Reference TokenDeliveriesComponent deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public Optional<Link> action(Order order, OrderRole viewer, String statusToken, String language) {
        return link(deliveries.revocations(), order, viewer, statusToken, language);
    }

    static Optional<Link> link(HolderRevocations revocations, Order order, OrderRole viewer, String statusToken,
            String language) {
        if (viewer != OrderRole.CERTIFICATE_MANAGER || statusToken == null || !order.request().medium().token()) {
            return Optional.empty();
        }
        try {
            if (revocations.view(order.id()).filter(HolderRevocations.View::revocable).isEmpty()) {
                return Optional.empty();
            }
        } catch (RuntimeException e) {
            return Optional.empty(); // the issuance module away: the page could not revoke now either
        }
        return Optional.of(new Link(TEXT.text(language, "token.action.revoke"), TokenPinServlet.PATH + "/"
                + statusToken + "/revoke", TEXT.text(language, "token.action.revoke.hint")));
    }
}
