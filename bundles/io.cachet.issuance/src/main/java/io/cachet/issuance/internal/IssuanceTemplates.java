package io.cachet.issuance.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.MessageTemplates;

/**
 * The issuance's e-mails ({@code issuance/templates/email/<key>.<language>.ftl} of this bundle), for every brand: a
 * brand replaces one with its own template of the same key.
 */
@Component(service = MessageTemplates.class)
public class IssuanceTemplates implements MessageTemplates {

    private final MessageTemplates files = MessageTemplates.fromResources(IssuanceTemplates.class.getClassLoader(),
            "issuance/templates");

    @Override
    public Optional<String> template(Channel channel, String key, String language) {
        return key.startsWith("issuance.") ? files.template(channel, key, language) : Optional.empty();
    }
}
