package io.cachet.webhook.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet webhooks", description = "Outbound webhooks of resellers: which addresses they"
        + " may call and how deliveries are retried. Signing secrets are sealed with the master key, never set here.")
public @interface WebhookConfiguration {

    @AttributeDefinition(name = "Allow http to this machine", description = "Accept http://localhost,"
            + " http://127.0.0.1 and http://[::1] webhook URLs (tests, a receiver on the same machine). Otherwise"
            + " https only")
    boolean allowLocalhost() default false;

    @AttributeDefinition(name = "Allow private networks", description = "Accept hosts on private, loopback and"
            + " link-local networks (10/8, 172.16/12, 192.168/16, fc00::/7, 169.254/16, ...). Off: webhooks call public"
            + " addresses only, so that a reseller cannot make Cachet reach its internal services")
    boolean allowPrivateNetworks() default false;

    @AttributeDefinition(name = "Poll interval (s)", min = "1", description = "How often due deliveries are looked for")
    int pollSeconds() default 5;

    @AttributeDefinition(name = "Batch size", min = "1", max = "1000", description = "Deliveries attempted per round")
    int batchSize() default 20;

    @AttributeDefinition(name = "Maximum attempts", min = "1", max = "50", description = "Attempts before a delivery"
            + " that keeps failing is FAILED")
    int maxAttempts() default 10;

    @AttributeDefinition(name = "First retry after (s)", min = "1", description = "Wait after the first failed attempt;"
            + " doubled after each further one")
    int initialBackoffSeconds() default 30;

    @AttributeDefinition(name = "Longest wait (s)", min = "1", description = "Longest wait between two attempts")
    int maxBackoffSeconds() default 21600;

    @AttributeDefinition(name = "Connect time limit (s)", min = "1")
    int connectTimeoutSeconds() default 5;

    @AttributeDefinition(name = "Answer time limit (s)", min = "1", description = "Time limit for the receiver's"
            + " answer (its status line and headers)")
    int readTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Previous secret signs for (h)", min = "0", description = "After a secret rotation"
            + " the previous secret signs deliveries too (a second v1= entry of Cachet-Signature) for this many hours,"
            + " so that a receiver can switch without losing an event; 0: the old secret stops at once")
    int rotationGraceHours() default 24;
}
