package io.cachet.issuance.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** The issuance module's console page and its messages ({@code pages/issuance/} of this bundle). */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + IssuancePages.NAMESPACE)
public class IssuancePages implements PageSource {

    static final String NAMESPACE = "issuance";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
