package io.cachet.delivery.token.internal;

import java.util.Set;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.ConsolePage;

/** The provisioning queue's entry in the console's navigation, for operators and admins. */
@Component(service = ConsolePage.class)
public class TokensEntry implements ConsolePage {

    @Override
    public String path() {
        return TokensConsoleServlet.PATH;
    }

    @Override
    public String titleKey() {
        return "token.console.nav";
    }

    @Override
    public String namespace() {
        return TokenPages.NAMESPACE;
    }

    @Override
    public Set<String> roles() {
        return TokensConsoleServlet.ROLES;
    }

    @Override
    public int rank() {
        return 40;
    }
}
