package io.cachet.acceptance.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.MessageTemplates;

/**
 * The acceptance e-mail and SMS ({@code acceptance/templates/<email|sms>/<key>.<language>.ftl} of this bundle), for
 * every brand: a brand replaces one with its own template of the same key.
 */
@Component(service = MessageTemplates.class)
public class AcceptanceTemplates implements MessageTemplates {

    private final MessageTemplates files = MessageTemplates.fromResources(AcceptanceTemplates.class.getClassLoader(),
            "acceptance/templates");

    @Override
    public Optional<String> template(Channel channel, String key, String language) {
        return key.startsWith("acceptance.") ? files.template(channel, key, language) : Optional.empty();
    }
}
