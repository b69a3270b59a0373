package io.cachet.organisation.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.MessageTemplates;

/**
 * The organisation e-mails ({@code organisation/templates/email/<key>.<language>.ftl} of this bundle), for every
 * brand: a brand replaces one with its own template of the same key.
 */
@Component(service = MessageTemplates.class)
public class OrganisationTemplates implements MessageTemplates {

    static final String FOLDER = "organisation/templates";
    private final MessageTemplates files = MessageTemplates.fromResources(OrganisationTemplates.class.getClassLoader(),
            FOLDER);

    @Override
    public Optional<String> template(Channel channel, String key, String language) {
        return key.startsWith("organisation.") ? files.template(channel, key, language) : Optional.empty();
    }
}
