package io.cachet.portal.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** The portal's templates, messages and stylesheet ({@code pages/portal/} of this bundle), for the page framework. */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + PortalPages.NAMESPACE)
public class PortalPages implements PageSource {

    static final String NAMESPACE = "portal";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
