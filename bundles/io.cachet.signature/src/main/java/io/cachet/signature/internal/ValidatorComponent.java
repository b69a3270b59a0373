package io.cachet.signature.internal;

import java.nio.file.Path;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Validator;

/**
 * The {@link Validator} as a service: the same object {@link Signatures#validator(java.time.Duration)} gives plain
 * Java, with the HTTP timeout of configuration {@value SignatureConfiguration#PID} (designated by
 * {@link SignerComponent}).
 */
@Component(name = "io.cachet.signature.validator", service = Validator.class,
        configurationPid = SignatureConfiguration.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class ValidatorComponent implements Validator {

    private final Validator validator;

    @Activate
    public ValidatorComponent(SignatureConfiguration config) {
        this.validator = Signatures.validator(Timeouts.of(config));
    }

    @Override
    public ValidationResult validate(Path signedFile, List<Path> detachedContents, ValidationOptions options) {
        return validator.validate(signedFile, detachedContents, options);
    }
}
