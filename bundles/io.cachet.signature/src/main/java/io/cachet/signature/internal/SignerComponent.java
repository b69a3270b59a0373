package io.cachet.signature.internal;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

import io.cachet.signature.api.SignOptions;
import io.cachet.signature.api.SignResult;
import io.cachet.signature.api.Signatures;
import io.cachet.signature.api.Signer;
import io.cachet.signature.api.SigningKey;

/**
 * The {@link Signer} as a service: the same object {@link Signatures#signer(java.time.Duration)} gives plain Java,
 * with the HTTP timeout of configuration {@value SignatureConfiguration#PID}. A new configuration replaces the
 * component (no dynamic update): a signature in progress keeps the timeout it started with.
 */
@Component(name = "io.cachet.signature.signer", service = Signer.class,
        configurationPid = SignatureConfiguration.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
// The one @Designate of the PID: the validator reads the same configuration, and two designates of one PID would
// show it twice in the Web Console.
@Designate(ocd = SignatureConfiguration.class)
public class SignerComponent implements Signer {

    private final Signer signer;

    @Activate
    public SignerComponent(SignatureConfiguration config) {
        this.signer = Signatures.signer(Timeouts.of(config));
    }

    @Override
    public SignResult sign(Path input, Path output, SigningKey key, SignOptions options) {
        return signer.sign(input, output, key, options);
    }
}
