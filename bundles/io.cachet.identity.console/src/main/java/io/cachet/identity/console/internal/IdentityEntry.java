package io.cachet.identity.console.internal;

import java.util.Set;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.ConsolePage;

/** The identity review queue's entry in the console's navigation, for the roles that see the queue. */
@Component(service = ConsolePage.class)
public class IdentityEntry implements ConsolePage {

    @Override
    public String path() {
        return IdentityReviewServlet.PATH;
    }

    @Override
    public String titleKey() {
        return "identity-console.nav";
    }

    @Override
    public Set<String> roles() {
        return Permissions.QUEUE;
    }

    @Override
    public int rank() {
        return 20;
    }
}
