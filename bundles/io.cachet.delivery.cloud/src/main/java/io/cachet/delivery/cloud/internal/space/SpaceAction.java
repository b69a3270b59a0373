package io.cachet.delivery.cloud.internal.space;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.StatusAction;
import io.cachet.api.web.BundleMessages;
import io.cachet.api.web.Pages;

/**
 * The status page's way into the customer space, for the certificate manager of a cloud order in DELIVERY or ACTIVE:
 * "Open your customer space" ({@code /space/}: Click&amp;Cert when logged in, else the login) once their password is
 * set, "Set the password of your customer space" (to the page that sends a new link) while the e-mailed link waits.
 * Nothing before the space is opened or once it is closed.
 */
@Component(service = StatusAction.class)
public class SpaceAction implements StatusAction {

    private static final BundleMessages TEXT = BundleMessages.of(SpaceAction.class, SpacePages.NAMESPACE);

    private final SpaceComponent space;

    @Activate
    public SpaceAction(@Reference SpaceComponent space) {
        this.space = space;
    }

    @Override
    public Optional<Link> action(Order order, OrderRole viewer, String statusToken, String language) {
        return link(space.service(), order, viewer, language);
    }

    static Optional<Link> link(SpaceService service, Order order, OrderRole viewer, String language) {
        if (viewer != OrderRole.CERTIFICATE_MANAGER || order.request().medium() == null
                || order.request().medium().token()
                || order.state() != OrderState.DELIVERY && order.state() != OrderState.ACTIVE) {
            return Optional.empty();
        }
        SpaceService.SpaceView v;
        try {
            v = service.view(order.id());
        } catch (RuntimeException e) {
            return Optional.empty(); // the database away: the status page goes without this link
        }
        return switch (v.state()) {
            case ACTIVE -> Optional.of(new Link(TEXT.text(language, "cloud-space.action.open"), SpaceServlet.HOME,
                    TEXT.text(language, "cloud-space.action.open.hint", v.email())));
            case LINK_SENT -> Optional.of(new Link(TEXT.text(language, "cloud-space.action.password"),
                    SpaceServlet.FORGOT, v.linkExpiresAt() == null
                            ? TEXT.text(language, "cloud-space.action.password.expired", v.email())
                            : TEXT.text(language, "cloud-space.action.password.hint", v.email(),
                                    Pages.time(v.linkExpiresAt()))));
            default -> Optional.empty();
        };
    }
}
