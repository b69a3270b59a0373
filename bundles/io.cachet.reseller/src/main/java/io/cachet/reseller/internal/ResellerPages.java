package io.cachet.reseller.internal;

import java.util.Set;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsolePage;
import io.cachet.api.web.PageSource;

/**
 * The reseller pages' templates and messages ({@code pages/reseller/} of this bundle), and the console navigation
 * entry of {@code /console/resellers} (administrators).
 */
@Component(service = { PageSource.class, ConsolePage.class },
        property = PageSource.NAMESPACE + "=" + ResellerPages.NAMESPACE)
public class ResellerPages implements PageSource, ConsolePage {

    static final String NAMESPACE = "reseller";

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public String path() {
        return ResellersServlet.PATH;
    }

    @Override
    public String titleKey() {
        return "reseller.console.nav";
    }

    @Override
    public Set<String> roles() {
        return Set.of(RestApi.ROLE_ADMIN);
    }

    @Override
    public int rank() {
        return 60;
    }
}
