package io.cachet.order.console.internal;

import java.util.Set;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.ConsolePage;

/** The orders' entry in the console's navigation, for the roles that read orders. */
@Component(service = ConsolePage.class)
public class OrdersEntry implements ConsolePage {

    @Override
    public String path() {
        return OrdersServlet.PATH;
    }

    @Override
    public String titleKey() {
        return "order-console.nav";
    }

    @Override
    public Set<String> roles() {
        return Permissions.READERS;
    }

    @Override
    public int rank() {
        return 10;
    }
}
