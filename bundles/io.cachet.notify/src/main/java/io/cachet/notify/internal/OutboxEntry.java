package io.cachet.notify.internal;

import java.util.Set;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsolePage;

/** The outbox's entry in the console's navigation, for the roles that may read it. */
@Component(service = ConsolePage.class)
public class OutboxEntry implements ConsolePage {

    @Override
    public String path() {
        return OutboxServlet.PATH;
    }

    @Override
    public String titleKey() {
        return "notify.outbox.nav";
    }

    @Override
    public Set<String> roles() {
        return Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR);
    }

    @Override
    public int rank() {
        return 500;
    }
}
