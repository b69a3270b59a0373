package io.cachet.identity.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** The identity pages' templates, messages and stylesheet ({@code pages/identity/} of this bundle). */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + IdentityPages.NAMESPACE)
public class IdentityPages implements PageSource {

    static final String NAMESPACE = "identity";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
