package io.cachet.identity.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.MessageTemplates;

/**
 * The identity e-mails ({@code identity/templates/email/<key>.<language>.ftl} of this bundle), for every brand: a
 * brand replaces one with its own template of the same key.
 */
@Component(service = MessageTemplates.class)
public class IdentityTemplates implements MessageTemplates {

    static final String FOLDER = "identity/templates";
    private final MessageTemplates files = MessageTemplates.fromResources(IdentityTemplates.class.getClassLoader(),
            FOLDER);

    @Override
    public Optional<String> template(Channel channel, String key, String language) {
        return key.startsWith("identity.") ? files.template(channel, key, language) : Optional.empty();
    }
}
