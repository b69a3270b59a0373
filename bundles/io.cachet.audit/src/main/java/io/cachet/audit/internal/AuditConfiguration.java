package io.cachet.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet audit log", description = "The append-only, hash-chained audit log. Its head "
        + "is anchored by the CA's TSA while the CA runs, else by the local Ed25519 key: every anchorEveryRecords "
        + "records, every anchorIntervalSeconds, and when Cachet stops. Each anchor is also written to "
        + "DATA/audit/anchors.journal, outside the database, and optionally sent to a remote witness.")
public @interface AuditConfiguration {

    @AttributeDefinition(name = "Anchor interval (s)", min = "0", description = "How often the chain head is "
            + "anchored when it changed since the last anchor; 0 = never by time")
    int anchorIntervalSeconds() default 300;

    @AttributeDefinition(name = "Anchor every N records", min = "0", description = "Anchor at the latest once this "
            + "many records follow the last anchor (in the background, never delaying a request); 0 = never by count")
    int anchorEveryRecords() default 1000;

    @AttributeDefinition(name = "Witness URL", required = false, description = "http(s) URL that receives every "
            + "anchor journal line by POST (text/plain), e.g. a log service on another machine; empty = none")
    String witnessUrl() default "";

    @AttributeDefinition(name = "Witness timeout (s)", min = "1", description = "Time limit of each POST to the "
            + "witness; failures are logged and retried")
    int witnessTimeoutSeconds() default 10;
}
