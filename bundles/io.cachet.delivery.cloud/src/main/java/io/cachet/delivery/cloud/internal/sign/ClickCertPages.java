package io.cachet.delivery.cloud.internal.sign;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** Click&amp;Cert's templates, messages, stylesheet and script ({@code pages/clickcert/} of this bundle). */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + ClickCertPages.NAMESPACE)
public class ClickCertPages implements PageSource {

    static final String NAMESPACE = "clickcert";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
