package io.cachet.webhook.internal;

import java.util.Set;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsolePage;
import io.cachet.api.web.PageSource;

/** The webhook page's template and messages ({@code pages/webhook/}), and its console navigation entry. */
@Component(service = { PageSource.class, ConsolePage.class },
        property = PageSource.NAMESPACE + "=" + WebhookPages.NAMESPACE)
public class WebhookPages implements PageSource, ConsolePage {

    static final String NAMESPACE = "webhook";

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public String path() {
        return WebhooksServlet.PATH;
    }

    @Override
    public String titleKey() {
        return "webhook.console.nav";
    }

    @Override
    public Set<String> roles() {
        return Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR);
    }

    @Override
    public int rank() {
        return 61;
    }
}
