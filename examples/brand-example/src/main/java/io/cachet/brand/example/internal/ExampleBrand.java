package io.cachet.brand.example.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.brand.Brand;

/**
 * What a reseller ships: one component registering its {@link Brand} under its own {@code brand.id}.
 * Install the bundle (e.g. drop it into DATA/deploy) and set {@code brand=example} in the configuration
 * {@code io.cachet.web.brand}; remove it and customers see the default brand again.
 *
 * <p>The look and the words come from files of this bundle, read by {@link Brand}'s default methods:
 * {@code brand/logo.svg}, {@code brand/messages_fr.properties} and {@code _en} (replacing the pages' messages
 * by key, and adding the brand's own), {@code brand/templates/cachet/home.ftlh} (replacing the home page). The
 * colours are below: the pages publish them as CSS custom properties and choose readable text colours.
 */
@Component(property = Brand.ID + "=example")
public class ExampleBrand implements Brand {

    @Override
    public String id() {
        return "example";
    }

    @Override
    public String displayName() {
        return "Example Trust Services";
    }

    @Override
    public String primaryColour() {
        return "#7a1f5c";
    }

    @Override
    public String supportEmail() {
        return "support@example-trust.example";
    }

    @Override
    public Map<String, String> colours() {
        return Map.of("primary", primaryColour(), "accent", "#a3195b");
    }
}
