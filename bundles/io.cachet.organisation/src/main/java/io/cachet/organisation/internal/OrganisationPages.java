package io.cachet.organisation.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** The organisation pages' templates, messages and stylesheet ({@code pages/organisation/} of this bundle). */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + OrganisationPages.NAMESPACE)
public class OrganisationPages implements PageSource {

    static final String NAMESPACE = "organisation";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
