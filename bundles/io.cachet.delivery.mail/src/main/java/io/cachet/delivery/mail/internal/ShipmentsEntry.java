package io.cachet.delivery.mail.internal;

import java.util.Set;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.ConsolePage;

/** The shipments page's entry in the console's navigation, for the roles that work on it. */
@Component(service = ConsolePage.class)
public class ShipmentsEntry implements ConsolePage {

    @Override
    public String path() {
        return ShipmentsServlet.PATH;
    }

    @Override
    public String titleKey() {
        return "shipments.console.nav";
    }

    @Override
    public String namespace() {
        return ShipmentsPages.NAMESPACE;
    }

    @Override
    public Set<String> roles() {
        return ShipmentsServlet.ROLES;
    }

    @Override
    public int rank() {
        return 40;
    }
}
