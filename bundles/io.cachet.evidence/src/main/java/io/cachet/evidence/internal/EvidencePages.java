package io.cachet.evidence.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.web.PageSource;

/** The evidence module's console page and its messages ({@code pages/evidence/} of this bundle). */
@Component(service = PageSource.class, property = PageSource.NAMESPACE + "=" + EvidencePages.NAMESPACE)
public class EvidencePages implements PageSource {

    static final String NAMESPACE = "evidence";

    @Override
    public String namespace() {
        return NAMESPACE;
    }
}
