package io.cachet.delivery.cloud.internal.space;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.MessageTemplates;

/**
 * The customer space's e-mails ({@code cloudspace/templates/email/<key>.<language>.ftl} of this bundle), for every
 * brand: a brand replaces one with its own template of the same key.
 */
@Component(service = MessageTemplates.class)
public class SpaceTemplates implements MessageTemplates {

    private final MessageTemplates files = MessageTemplates.fromResources(SpaceTemplates.class.getClassLoader(),
            "cloudspace/templates");

    @Override
    public Optional<String> template(Channel channel, String key, String language) {
        return key.startsWith("cloudspace.") ? files.template(channel, key, language) : Optional.empty();
    }
}
