package io.cachet.brand.example.internal;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.brand.Brand;

/**
 * What a reseller ships: one component registering its {@link Brand} under its own {@code brand.id}.
 * Install the bundle (e.g. drop it into DATA/deploy) and set {@code brand=example} in the configuration
 * {@code io.cachet.web.brand}; remove it and customers see the default brand again.
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
}
