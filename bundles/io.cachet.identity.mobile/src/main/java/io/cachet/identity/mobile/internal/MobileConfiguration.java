package io.cachet.identity.mobile.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet identity: phone flow", description = "The built-in identity proofing on a"
        + " phone (/identity/mobile): the short link a computer shows to continue on the phone, upload limits.")
public @interface MobileConfiguration {

    /** The configuration's PID. */
    String PID = "io.cachet.identity.mobile";

    @AttributeDefinition(name = "Public base URL", required = false, description = "Where persons reach this server,"
            + " e.g. https://cachet.example.fr: the QR code and the short link shown on a computer start with it."
            + " Empty = the address the computer's browser used")
    String publicBaseUrl() default "";

    @AttributeDefinition(name = "Short link validity (minutes)", min = "1", max = "1440", description = "How long"
            + " the short link (and QR code) shown on a computer opens the flow on a phone")
    int shortLinkMinutes() default 20;

    @AttributeDefinition(name = "Short link look-ups per client and hour", min = "1", description = "Short codes one"
            + " client address may try in an hour (right or wrong); more are refused with 429")
    int lookupsPerHour() default 30;

    @AttributeDefinition(name = "Largest image (MB)", min = "1", max = "100", description = "Uploads larger than"
            + " this are refused unread (413); the identity service applies its own limit too")
    int maxImageMegabytes() default 15;
}
