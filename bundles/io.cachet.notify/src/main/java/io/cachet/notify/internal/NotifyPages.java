package io.cachet.notify.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** The notification pages' templates and messages ({@code pages/notify/} of this bundle), for the page framework. */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + NotifyPages.NAMESPACE)
public class NotifyPages implements PageSource {

    static final String NAMESPACE = "notify";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
