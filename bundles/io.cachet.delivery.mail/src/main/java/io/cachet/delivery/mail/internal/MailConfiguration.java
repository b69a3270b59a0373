package io.cachet.delivery.mail.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet registered mail", description = "The shipments of tokens by registered mail with"
        + " acknowledgement of receipt: the sender printed on the label, the receipt's size limit, the carriers' polling."
        + " Changes apply while running.")
public @interface MailConfiguration {

    @AttributeDefinition(name = "Sender name", required = false, description = "The sender printed on the label and"
            + " cover letter when the brand does not name one (brand message shipments.sender.name); empty: the"
            + " brand's name")
    String senderName() default "";

    @AttributeDefinition(name = "Sender address", required = false, cardinality = 6, description = "The sender's"
            + " address lines (street, postal code and city, country), when the brand does not give one (brand message"
            + " shipments.sender.address, lines separated by |)")
    String[] senderAddress() default {};

    @AttributeDefinition(name = "Receipt size limit (bytes)", min = "10240", max = "52428800", description = "Largest"
            + " scan of an acknowledgement of receipt accepted (PDF, JPEG or PNG)")
    int maxReceiptBytes() default 5 * 1024 * 1024;

    @AttributeDefinition(name = "Carrier polling (minutes)", min = "1", max = "1440", description = "How often a"
            + " carrier integration is asked for the state of each letter sent (manual shipments are never polled)")
    int pollMinutes() default 60;

    @AttributeDefinition(name = "Job interval (seconds)", min = "5", max = "3600", description = "How often the"
            + " background job looks for letters due for polling")
    int jobSeconds() default 60;

    @AttributeDefinition(name = "Carrier of new shipments", description = "The id of the carrier new shipments are"
            + " given (a Carrier service's cachet.carrier, or manual: the operator types the tracking number and"
            + " reports each state)")
    String defaultCarrier() default "manual";
}
