package io.cachet.acceptance.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The acceptance's configuration (PID {@value AcceptanceSettings#PID}), changed while running. */
@ObjectClassDefinition(name = "Cachet acceptance", description = "Online acceptance of orders by their persons:"
        + " links, SMS one-time codes, the form's pages")
public @interface AcceptanceConfiguration {

    @AttributeDefinition(name = "Link validity (days)", description = "How long an acceptance link opens", min = "1")
    int linkValidityDays() default 30;

    @AttributeDefinition(name = "Code validity (minutes)", description = "How long an SMS code is valid", min = "1",
            max = "60")
    int codeMinutes() default 10;

    @AttributeDefinition(name = "Tries per code", description = "Wrong codes before the acceptance is locked until a"
            + " new code is requested", min = "1", max = "10")
    int maxTries() default 5;

    @AttributeDefinition(name = "Codes per hour", description = "Codes one person may request in an hour", min = "1",
            max = "20")
    int codesPerHour() default 5;

    @AttributeDefinition(name = "Page images (dpi)", description = "Resolution of the form's pages shown in the"
            + " browser", min = "48", max = "200")
    int pageDpi() default 110;

    @AttributeDefinition(name = "Job period (seconds)", description = "How often checks whose report failed are"
            + " reported again", min = "1")
    int jobSeconds() default 30;
}
