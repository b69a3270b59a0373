package io.cachet.portal.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.MessageTemplates;

/**
 * The portal's e-mails ({@code portal/templates/email/<key>.<language>.ftl} of this bundle), for every brand: a
 * brand replaces one with its own template of the same key.
 */
@Component(service = MessageTemplates.class)
public class PortalTemplates implements MessageTemplates {

    static final String FOLDER = "portal/templates";
    private final MessageTemplates files = MessageTemplates.fromResources(PortalTemplates.class.getClassLoader(), FOLDER);

    @Override
    public Optional<String> template(Channel channel, String key, String language) {
        return key.startsWith("portal.") ? files.template(channel, key, language) : Optional.empty();
    }
}
