package io.cachet.notify.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.cachet.api.notify.SmsException;
import io.cachet.api.notify.SmsGateway;
import io.cachet.api.security.SecretVault;

/** The HTTP SMS gateway as the service {@code sms.gateway=http}, while its configuration exists. */
@Component(name = "io.cachet.notify.sms.http", configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = SmsGateway.ID + "=http")
@Designate(ocd = HttpSmsGatewayConfiguration.class)
public class HttpSmsGatewayComponent implements SmsGateway {

    /** Vault purpose of the gateway's token. */
    static final String TOKEN_PURPOSE = "notify.sms.token";

    private final HttpSmsGateway gateway;

    @Activate
    public HttpSmsGatewayComponent(@Reference SecretVault vault, HttpSmsGatewayConfiguration config,
            BundleContext context) {
        this(vault, config, NotifyComponent.dataDirectory(context));
    }

    HttpSmsGatewayComponent(SecretVault vault, HttpSmsGatewayConfiguration config, Path data) {
        if (config.timeoutSeconds() < 1) {
            throw new IllegalArgumentException("timeoutSeconds of configuration PID io.cachet.notify.sms.http must be"
                    + " 1 or more, not " + config.timeoutSeconds());
        }
        HttpSmsGateway.parse(config.url()); // refused before the token is read
        Path tokenFile = NotifyComponent.secretFile(config.tokenFile(), data, "sms-gateway.token");
        char[] token = SealedSecretFile.read(tokenFile, TOKEN_PURPOSE, "SMS gateway token", vault);
        try {
            this.gateway = new HttpSmsGateway(config.url(), token, config.sender(),
                    Duration.ofSeconds(config.timeoutSeconds()));
        } finally {
            Arrays.fill(token, '\0');
        }
    }

    @Override
    public void send(String reference, String to, String text) throws SmsException {
        gateway.send(reference, to, text);
    }

    @Deactivate
    void deactivate() {
        gateway.close();
    }
}
