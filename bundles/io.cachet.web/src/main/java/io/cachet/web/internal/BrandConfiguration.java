package io.cachet.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet brand selection", description = "Which installed brand customers see. "
        + "Changing it takes effect at once; when the brand's bundle is missing, the default brand is shown.")
public @interface BrandConfiguration {

    @AttributeDefinition(name = "Brand id", description = "brand.id of an installed brand bundle, e.g. default")
    String brand() default "default";
}
