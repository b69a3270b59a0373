package io.cachet.acceptance.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** The acceptance pages' templates, messages and stylesheet ({@code pages/acceptance/} of this bundle). */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + AcceptancePages.NAMESPACE)
public class AcceptancePages implements PageSource {

    static final String NAMESPACE = "acceptance";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
