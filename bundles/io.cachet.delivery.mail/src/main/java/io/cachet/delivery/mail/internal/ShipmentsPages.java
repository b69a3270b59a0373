package io.cachet.delivery.mail.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** The shipments console page's templates, messages and stylesheet ({@code pages/shipments/} of this bundle). */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + ShipmentsPages.NAMESPACE)
public class ShipmentsPages implements PageSource {

    static final String NAMESPACE = "shipments";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
