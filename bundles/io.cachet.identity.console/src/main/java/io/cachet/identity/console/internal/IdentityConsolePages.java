package io.cachet.identity.console.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** The identity review pages' templates, messages and stylesheet ({@code pages/identity-console/} of this bundle). */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + IdentityConsolePages.NAMESPACE)
public class IdentityConsolePages implements PageSource {

    static final String NAMESPACE = "identity-console";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
