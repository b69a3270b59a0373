package io.cachet.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet audit log", description = "The append-only, hash-chained audit log. Its head "
        + "is anchored periodically by the audit anchor signer with the highest service ranking, so that deleting "
        + "the newest records is detectable too.")
public @interface AuditConfiguration {

    @AttributeDefinition(name = "Anchor interval (s)", min = "0", description = "How often the chain head is "
            + "anchored when it changed since the last anchor; 0 = never automatically")
    int anchorIntervalSeconds() default 300;
}
