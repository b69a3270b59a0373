package io.cachet.organisation.internal;

import java.util.Set;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.ConsolePage;

/** The organisation review queue's entry in the console's navigation, for the roles that see the queue. */
@Component(service = ConsolePage.class)
public class ReviewEntry implements ConsolePage {

    @Override
    public String path() {
        return ReviewServlet.PATH;
    }

    @Override
    public String titleKey() {
        return "organisation.console.nav";
    }

    @Override
    public String namespace() {
        return OrganisationPages.NAMESPACE;
    }

    @Override
    public Set<String> roles() {
        return ReviewServlet.QUEUE_ROLES;
    }

    @Override
    public int rank() {
        return 25;
    }
}
