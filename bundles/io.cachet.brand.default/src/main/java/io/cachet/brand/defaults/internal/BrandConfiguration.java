package io.cachet.brand.defaults.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet default brand", description = "What customers see when no reseller brand is selected.")
public @interface BrandConfiguration {

    @AttributeDefinition(name = "Service name")
    String displayName() default "Cachet";

    @AttributeDefinition(name = "Primary colour", description = "CSS hex colour, e.g. #0b3d91")
    String primaryColour() default "#0b3d91";

    @AttributeDefinition(name = "Support e-mail")
    String supportEmail() default "support@cachet.example";
}
