package io.cachet.notify.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet HTTP SMS gateway", description = "Sends each SMS as a JSON POST {to, text,"
        + " sender, reference} with a bearer token. Exists (as sms.gateway=http) while this configuration does; select"
        + " it with smsTransport=gateway in io.cachet.notify.")
public @interface HttpSmsGatewayConfiguration {

    @AttributeDefinition(name = "URL", description = "The gateway's endpoint, https://... (http only on this machine or"
            + " in tests)")
    String url();

    @AttributeDefinition(name = "Token file", required = false, description = "File holding the bearer token; empty ="
            + " DATA/secrets/sms-gateway.token. Write the token in clear on its first line: Cachet seals it with the"
            + " master key at start")
    String tokenFile() default "";

    @AttributeDefinition(name = "Sender", required = false, description = "Sender name or number shown on phones, if"
            + " the gateway allows it")
    String sender() default "";

    @AttributeDefinition(name = "Time limit (s)", min = "1", description = "Time limit of each request")
    int timeoutSeconds() default 10;
}
