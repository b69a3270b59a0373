package io.cachet.order.console.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** The order pages' templates, messages and stylesheet ({@code pages/order-console/} of this bundle). */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + OrderConsolePages.NAMESPACE)
public class OrderConsolePages implements PageSource {

    static final String NAMESPACE = "order-console";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
