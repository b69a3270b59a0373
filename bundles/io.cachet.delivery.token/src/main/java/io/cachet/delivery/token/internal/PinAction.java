package io.cachet.delivery.token.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.delivery.TokenDelivery.PinCustody;
import io.cachet.api.delivery.TokenDelivery.Stage;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.StatusAction;
import io.cachet.api.web.BundleMessages;

/**
 * The status page's link to {@value TokenPinServlet#PATH}/&lt;status token&gt; for the certificate manager of a
 * token order in DELIVERY whose token is provisioned: "Retrieve the initialisation PIN" (the hint says it comes once
 * the letter is delivered, when it is not yet), then, once revealed, "Confirm the activation".
 */
@Component(service = StatusAction.class)
public class PinAction implements StatusAction {

    private static final BundleMessages TEXT = BundleMessages.of(PinAction.class, TokenPages.NAMESPACE);

    private final TokenDeliveriesComponent deliveries;

    @Activate
    public PinAction(@Reference TokenDeliveriesComponent deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public Optional<Link> action(Order order, OrderRole viewer, String statusToken, String language) {
        return link(deliveries.service(), order, viewer, statusToken, language);
    }

    static Optional<Link> link(TokenDeliveryService service, Order order, OrderRole viewer, String statusToken,
            String language) {
        if (order.state() != OrderState.DELIVERY || viewer != OrderRole.CERTIFICATE_MANAGER || statusToken == null
                || !order.request().medium().token()) {
            return Optional.empty();
        }
        Optional<TokenDeliveryService.PinView> v = service.pinView(order.id());
        if (v.isEmpty() || v.get().row().stage() != Stage.PROVISIONED) {
            return Optional.empty();
        }
        String url = TokenPinServlet.PATH + "/" + statusToken;
        PinCustody custody = v.get().row().custody();
        if (custody == PinCustody.REVEALED) {
            return Optional.of(new Link(TEXT.text(language, "token.action.activate"), url,
                    TEXT.text(language, "token.action.activate.hint")));
        }
        String hint = v.get().delivered() ? TEXT.text(language, "token.action.pin.hint")
                : TEXT.text(language, "token.action.pin.hint.waiting");
        return Optional.of(new Link(TEXT.text(language, "token.action.pin"), url, hint));
    }
}
