package io.cachet.delivery.token.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** The token delivery's templates, messages and stylesheet ({@code pages/token-delivery/} of this bundle). */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + TokenPages.NAMESPACE)
public class TokenPages implements PageSource {

    static final String NAMESPACE = "token-delivery";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
