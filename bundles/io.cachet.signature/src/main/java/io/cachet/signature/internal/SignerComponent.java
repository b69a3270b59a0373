package io.cachet.signature.internal;

import java.net.URI;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignResult;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;

/**
 * The {@link Signer} as a service: the same object {@link Signatures#signer(java.time.Duration)} gives plain Java,
 * with the HTTP timeout of configuration {@value SignatureConfiguration#PID}; levels T and above without a TSA of
 * their own are time-stamped by the configured TSA, by default this server's (the CA's {@code /tsa}). A new configuration replaces the
 * component (no dynamic update): a signature in progress keeps the timeout it started with.
 */
@Component(name = "io.cachet.signature.signer", service = Signer.class,
        configurationPid = SignatureConfiguration.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
// The one @Designate of the PID: the validator reads the same configuration, and two designates of one PID would
// show it twice in the Web Console.
@Designate(ocd = SignatureConfiguration.class)
public class SignerComponent implements Signer {

    private final Signer signer;
    private final URI defaultTsa;

    @Activate
    public SignerComponent(BundleContext context, SignatureConfiguration config) {
        this(config, context.getProperty("org.osgi.service.http.port"));
    }

    /**
     * @param httpPort this server's HTTP port, for the default TSA ({@code null}: 8080, the server's default)
     */
    public SignerComponent(SignatureConfiguration config, String httpPort) {
        this.signer = Signatures.signer(Timeouts.of(config));
        this.defaultTsa = defaultTsa(config.tsaUrl(), httpPort);
    }

    static URI defaultTsa(String configured, String httpPort) {
        if (configured == null || configured.isBlank()) {
            String port = httpPort == null || httpPort.isBlank() ? "8080" : httpPort.trim();
            return URI.create("http://127.0.0.1:" + port + "/tsa");
        }
        try {
            URI uri = new URI(configured.trim());
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // said below, with the PID
        }
        throw new IllegalArgumentException("tsaUrl of configuration PID " + SignatureConfiguration.PID
                + " must be an http or https URL, not '" + configured + "'");
    }

    /** The TSA used at level T and above when the options name none. */
    URI defaultTsa() {
        return defaultTsa;
    }

    @Override
    public SignResult sign(Path input, Path output, SigningKey key, SignOptions options) {
        SignOptions effective = options != null && options.level().needsTimestamp() && options.tsaUrl() == null
                ? options.withTsa(defaultTsa) : options;
        return signer.sign(input, output, key, effective);
    }

    @Override
    public SignResult extend(Path input, Path output, SignOptions options) {
        SignOptions effective = options != null && options.level().needsTimestamp() && options.tsaUrl() == null
                ? options.withTsa(defaultTsa) : options;
        return signer.extend(input, output, effective);
    }
}
