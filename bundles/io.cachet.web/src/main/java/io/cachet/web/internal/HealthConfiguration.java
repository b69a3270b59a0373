package io.cachet.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet health", description = "What GET /health requires before it answers 200.")
public @interface HealthConfiguration {

    @AttributeDefinition(name = "Required checks", description = "Health indicators that must be present and healthy")
    String[] requiredIndicators() default {"database"};
}
