package io.cachet.identity.mobile.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityProvider;

/**
 * Cachet's own phone flow as an {@link IdentityProvider} ({@value #ID}): an attempt is served by this bundle's pages
 * at {@code /identity/mobile/<flow token>}; the flow's state is the case itself (found again with
 * {@link io.cachet.api.identity.IdentityCases#byFlowToken}), so nothing is held here and {@link #ended} has nothing
 * to release.
 */
@Component(service = IdentityProvider.class, property = IdentityProvider.ID + "=" + MobileProvider.ID)
public class MobileProvider implements IdentityProvider {

    static final String ID = "mobile";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Start start(IdentityCase identityCase, String flowToken, String language) {
        String lang = "en".equals(language) ? "en" : "fr";
        return new Start(MobileServlet.PATH + "/" + flowToken + "?lang=" + lang, null);
    }
}
