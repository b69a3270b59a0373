package io.cachet.delivery.token.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.MessageTemplates;

/**
 * The token delivery's SMS ({@code tokendelivery/templates/sms/<key>.<language>.ftl} of this bundle), for every
 * brand: a brand replaces it with its own template of the same key.
 */
@Component(service = MessageTemplates.class)
public class TokenTemplates implements MessageTemplates {

    private final MessageTemplates files = MessageTemplates.fromResources(TokenTemplates.class.getClassLoader(),
            "tokendelivery/templates");

    @Override
    public Optional<String> template(Channel channel, String key, String language) {
        return key.startsWith("tokendelivery.") ? files.template(channel, key, language) : Optional.empty();
    }
}
