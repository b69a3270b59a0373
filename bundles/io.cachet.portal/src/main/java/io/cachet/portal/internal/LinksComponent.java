package io.cachet.portal.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.link.IssuedLink;
import io.cachet.api.link.PersonalLink;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.LazyOrders;
import io.cachet.api.order.Orders;
import io.cachet.api.store.Database;

/**
 * The {@link PersonalLinks} service: {@link LinkStore} on the deployment's database, configured by PID
 * {@code io.cachet.portal}.
 *
 * <p>The orders are an optional, dynamic reference, got only when a link is renewed: the order service calls its
 * listeners (the portal's e-mails) which issue links, so getting it at activation would be a cycle. Without the
 * order service no fresh link is sent (every order counts as ended).
 */
@Component(service = PersonalLinks.class, configurationPid = PortalSettings.PID)
@Designate(ocd = PortalConfiguration.class)
public class LinksComponent implements PersonalLinks {

    private final LinkStore store;

    @Reference(service = Orders.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile ComponentServiceObjects<Orders> orders;
    private final LazyOrders lazyOrders = new LazyOrders();

    @Activate
    public LinksComponent(@Reference Database database, @Reference AuditLog audit, PortalConfiguration config,
            BundleContext context) {
        PortalSettings settings = PortalSettings.of(config, context.getProperty("org.osgi.service.http.port"));
        LinkStore.migrate(database);
        this.store = new LinkStore(database, audit, Clock.systemUTC(), new SecureRandom(), settings.baseUrl(),
                this::orderEnded);
    }

    private boolean orderEnded(String id) {
        Orders o = lazyOrders.from(orders);
        if (o == null) {
            return true;
        }
        return o.find(id).map(order -> order.state().ended()).orElse(true);
    }

    @Override
    public IssuedLink issue(String orderId, OrderRole role, String purpose, String email, String path,
            Duration validity, String actor) {
        return store.issue(orderId, role, purpose, email, path, validity, actor);
    }

    @Override
    public Opened open(String token, String purpose) {
        return store.open(token, purpose);
    }

    @Override
    public Optional<IssuedLink> renew(String linkId, Duration validity, String actor) {
        return store.renew(linkId, validity, actor);
    }

    @Override
    public void revokeAll(String orderId, String actor) {
        store.revokeAll(orderId, actor);
    }

    @Override
    public List<PersonalLink> links(String orderId) {
        return store.links(orderId);
    }
}
