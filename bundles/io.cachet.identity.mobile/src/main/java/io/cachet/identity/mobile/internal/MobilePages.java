package io.cachet.identity.mobile.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** The phone flow's templates, messages, stylesheet and scripts ({@code pages/identity-mobile/} of this bundle). */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + MobilePages.NAMESPACE)
public class MobilePages implements PageSource {

    static final String NAMESPACE = "identity-mobile";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
