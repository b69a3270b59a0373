package io.cachet.delivery.cloud.internal.space;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The customer space's configuration (PID {@value SpaceSettings#PID}), changed while running. */
@ObjectClassDefinition(name = "Cachet customer space", description = "The cloud orders' customer space: accounts"
        + " of the Certificate Managers, password links, sessions, throttling of failed logins")
public @interface SpaceConfiguration {

    @AttributeDefinition(name = "Open at once", description = "Open the customer space as soon as a cloud order"
            + " reaches DELIVERY; when false, an operator opens it (console or REST)")
    boolean autoOpen() default true;

    @AttributeDefinition(name = "Password link validity (hours)", description = "How long the e-mail link to set"
            + " the password opens", min = "1", max = "720")
    int linkHours() default 72;

    @AttributeDefinition(name = "Reset link validity (minutes)", description = "How long a forgotten-password link"
            + " opens", min = "5", max = "1440")
    int resetMinutes() default 60;

    @AttributeDefinition(name = "Idle limit (minutes)", description = "A session without a request for this long"
            + " ends", min = "1", max = "1440")
    int idleMinutes() default 15;

    @AttributeDefinition(name = "Absolute limit (hours)", description = "A session ends this long after the login,"
            + " whatever its use", min = "1", max = "72")
    int absoluteHours() default 8;

    @AttributeDefinition(name = "Failures before lockout", description = "Failed logins or re-authentications of"
            + " an account, or from a client address, before it is locked out", min = "1", max = "100")
    int maxFailures() default 5;

    @AttributeDefinition(name = "First lockout (seconds)", description = "The first lockout; each further failure"
            + " doubles it", min = "1")
    int lockoutSeconds() default 60;

    @AttributeDefinition(name = "Longest lockout (minutes)", description = "The lockout never grows beyond this",
            min = "1")
    int maxLockoutMinutes() default 1440;

    @AttributeDefinition(name = "Reset e-mails per hour", description = "Forgotten-password requests one client"
            + " address may make in an hour", min = "1")
    int resetsPerHour() default 5;

    @AttributeDefinition(name = "Public base URL", description = "The address holders reach the server at, e.g."
            + " https://cachet.example.fr: the e-mail links and the WebAuthn relying party (its host). Empty:"
            + " http://localhost and the HTTP port")
    String publicBaseUrl() default "";

    @AttributeDefinition(name = "Job period (seconds)", description = "How often orders whose space check could not"
            + " be told are told again", min = "1")
    int jobSeconds() default 60;
}
