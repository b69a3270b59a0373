package io.cachet.order.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet orders", description = "How long an order may take, and how often the"
        + " expiry job looks for orders past their time.")
public @interface OrdersConfiguration {

    @AttributeDefinition(name = "Days to complete", description = "An order still in SUBMITTED, VERIFICATION or"
            + " ACCEPTANCE this many days after its submission expires (1 to 365); from ISSUANCE on it no longer does")
    int expiryDays() default 30;

    @AttributeDefinition(name = "Expiry job period (seconds)", description = "10 to 86400")
    int expirySweepSeconds() default 600;
}
