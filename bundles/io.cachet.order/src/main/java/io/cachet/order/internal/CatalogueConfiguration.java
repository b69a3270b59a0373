package io.cachet.order.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet order catalogue",
        description = "The product customers order: its names, validities, media and the prices shown to them.")
public @interface CatalogueConfiguration {

    @AttributeDefinition(name = "Product id", description = "Lower case letters, digits and '-'")
    String productId() default "enterprise-plus";

    @AttributeDefinition(name = "Name (French)")
    String nameFr() default "Cachet électronique qualifié Enterprise+";

    @AttributeDefinition(name = "Name (English)")
    String nameEn() default "Qualified electronic seal Enterprise+";

    @AttributeDefinition(name = "Validities (years)", description = "Among 1, 2, 3")
    int[] validityYears() default { 1, 2, 3 };

    @AttributeDefinition(name = "Media", description = "usb-a, usb-c, cloud")
    String[] media() default { "usb-a", "usb-c", "cloud" };

    @AttributeDefinition(name = "Prices", description = "One per validity and medium, 'years:medium:amount',"
            + " excluding VAT, e.g. 1:cloud:290.00; none: no price shown")
    String[] prices() default { "1:usb-a:350.00", "2:usb-a:590.00", "3:usb-a:790.00", "1:usb-c:350.00",
        "2:usb-c:590.00", "3:usb-c:790.00", "1:cloud:290.00", "2:cloud:490.00", "3:cloud:690.00" };

    @AttributeDefinition(name = "Currency", description = "ISO 4217")
    String currency() default "EUR";
}
