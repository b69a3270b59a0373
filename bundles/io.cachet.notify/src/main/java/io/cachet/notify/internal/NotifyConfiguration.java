package io.cachet.notify.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Cachet notifications", description = "E-mail and SMS notifications: how each channel is"
        + " delivered and how the queue is worked. The embedded default keeps every message in the outbox (readable"
        + " by operators in the console and at GET /api/v1/outbox) instead of sending it. Secrets are never set here:"
        + " the SMTP password is read from a file that Cachet seals with the master key.")
public @interface NotifyConfiguration {

    @AttributeDefinition(name = "E-mail transport", description = "outbox: keep e-mails in the outbox (embedded"
            + " default); smtp: send them through the SMTP server below",
            options = {@Option(value = "outbox", label = "Outbox"), @Option(value = "smtp", label = "SMTP")})
    String emailTransport() default "outbox";

    @AttributeDefinition(name = "SMS transport", description = "outbox: keep SMS in the outbox (embedded default);"
            + " gateway: send them through the SMS gateway named below",
            options = {@Option(value = "outbox", label = "Outbox"), @Option(value = "gateway", label = "Gateway")})
    String smsTransport() default "outbox";

    @AttributeDefinition(name = "SMS gateway", description = "sms.gateway of the gateway service to use: http (the"
            + " HTTP gateway, PID io.cachet.notify.sms.http) or a vendor's")
    String smsGateway() default "http";

    @AttributeDefinition(name = "Default brand", description = "brand.id of the brand whose templates and name a"
            + " message gets when its sender names none (or an unknown one)")
    String defaultBrand() default "default";

    @AttributeDefinition(name = "From", description = "Sender of e-mails, e.g. 'Cachet <no-reply@example.org>'")
    String from() default "Cachet <no-reply@cachet.example>";

    @AttributeDefinition(name = "SMTP host", required = false, description = "SMTP server (with emailTransport=smtp)")
    String smtpHost() default "";

    @AttributeDefinition(name = "SMTP port", min = "1", max = "65535", description = "587 for STARTTLS, 465 for TLS")
    int smtpPort() default 587;

    @AttributeDefinition(name = "SMTP security", description = "starttls: plain connection upgraded with STARTTLS,"
            + " which is required; tls: TLS from the first byte (SMTPS); none: no encryption (a relay on this machine"
            + " only). The server's certificate is checked against the Java trust store and the host name.",
            options = {@Option(value = "starttls", label = "STARTTLS"), @Option(value = "tls", label = "TLS"),
                    @Option(value = "none", label = "None")})
    String smtpSecurity() default "starttls";

    @AttributeDefinition(name = "SMTP user", required = false, description = "Login for SMTP authentication; empty ="
            + " no authentication")
    String smtpUser() default "";

    @AttributeDefinition(name = "SMTP password file", required = false, description = "File holding the SMTP password;"
            + " empty = DATA/secrets/smtp.password. Write the password in clear on its first line: Cachet seals it"
            + " with the master key at start")
    String smtpPasswordFile() default "";

    @AttributeDefinition(name = "SMTP time limit (s)", min = "1", description = "Time limit of connecting, and of"
            + " each read and write")
    int smtpTimeoutSeconds() default 30;

    @AttributeDefinition(name = "Poll interval (s)", min = "1", description = "How often the queue is looked at"
            + " (a message queued on this node outside a caller's transaction is looked at at once)")
    int pollSeconds() default 5;

    @AttributeDefinition(name = "Batch size", min = "1", max = "1000", description = "Messages delivered per round,"
            + " one transaction each, before the next round is considered")
    int batchSize() default 20;

    @AttributeDefinition(name = "Maximum attempts", min = "1", description = "Attempts before a message that keeps"
            + " failing temporarily is FAILED")
    int maxAttempts() default 8;

    @AttributeDefinition(name = "First retry after (s)", min = "1", description = "Wait after the first failed"
            + " attempt; doubled after each further one")
    int initialBackoffSeconds() default 60;

    @AttributeDefinition(name = "Longest wait (s)", min = "1", description = "Longest wait between two attempts")
    int maxBackoffSeconds() default 3600;
}
