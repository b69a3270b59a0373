package io.cachet.console.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** The console's page templates and messages ({@code pages/console/} of this bundle), for the page framework. */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + ConsolePages.NAMESPACE)
public class ConsolePages implements PageSource {

    static final String NAMESPACE = "console";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
