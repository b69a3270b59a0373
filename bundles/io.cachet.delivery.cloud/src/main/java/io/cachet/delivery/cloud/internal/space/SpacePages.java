package io.cachet.delivery.cloud.internal.space;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/**
 * The customer space's templates, messages and assets ({@code pages/cloud-space/} of this bundle), among them
 * {@code webauthn.js}, which Click&amp;Cert's re-authentication form loads too.
 */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + SpacePages.NAMESPACE)
public class SpacePages implements PageSource {

    static final String NAMESPACE = "cloud-space";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
