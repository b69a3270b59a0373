package io.cachet.brand.defaults.internal;

import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

import io.cachet.api.brand.Brand;

/** The default brand; a reseller's brand bundle looks the same with its own id and values. */
@Component(name = "io.cachet.brand.default", property = Brand.ID + "=" + DefaultBrand.ID)
@Designate(ocd = BrandConfiguration.class)
public class DefaultBrand implements Brand {

    static final String ID = "default";
    private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");

    private final String displayName;
    private final String primaryColour;
    private final String supportEmail;

    @Activate
    public DefaultBrand(BrandConfiguration config) {
        this(config.displayName(), config.primaryColour(), config.supportEmail());
    }

    public DefaultBrand(String displayName, String primaryColour, String supportEmail) {
        if (displayName == null || displayName.isBlank()) {
            throw new IllegalArgumentException("io.cachet.brand.default: 'displayName' must not be empty");
        }
        if (primaryColour == null || !COLOUR.matcher(primaryColour).matches()) {
            throw new IllegalArgumentException("io.cachet.brand.default: 'primaryColour' must look like #0b3d91, got '"
                    + primaryColour + "'");
        }
        this.displayName = displayName.strip();
        this.primaryColour = primaryColour;
        this.supportEmail = supportEmail == null ? "" : supportEmail.strip();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public String primaryColour() {
        return primaryColour;
    }

    @Override
    public String supportEmail() {
        return supportEmail;
    }
}
