package io.cachet.token.safenet.internal;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.token.TokenCapability;
import io.cachet.api.health.HealthIndicator;
import io.cachet.api.token.TokenDriver;
import io.cachet.token.pkcs11.spi.DriverHealth;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.pkcs11.spi.PublishedDriver;

/**
 * Registers the {@value SafeNet#DRIVER_ID} {@link TokenDriver} once an operator configures {@value #PID} (an empty
 * configuration is enough: the library is then probed at SAC's default paths). Without that configuration the
 * component waits, which {@code /health} counts as satisfied, so a server without SafeNet tokens logs nothing
 * about them; with it but without SAC (or with a library that cannot be used), one log line, no driver and an
 * unhealthy {@code driver.safenet} check naming the problem, so {@code /health} answers 503.
 */
@Component(name = SafeNetComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
@Designate(ocd = SafeNetConfiguration.class)
public class SafeNetComponent {

    static final String PID = "io.cachet.token.safenet";
    private static final Logger LOG = LoggerFactory.getLogger(SafeNetComponent.class);

    /** The driver and its service, or {@code null} when the library is missing or unusable. */
    private final PublishedDriver published;
    /** The unhealthy indicator naming the problem when there is no driver, else {@code null}. */
    private final ServiceRegistration<HealthIndicator> unusable;

    @Activate
    public SafeNetComponent(BundleContext context, SafeNetConfiguration config) {
        Set<TokenCapability> model = EnumSet.noneOf(TokenCapability.class);
        for (String name : config.modelCapabilities() == null ? new String[0] : config.modelCapabilities()) {
            if (name != null && !name.isBlank()) {
                try {
                    model.add(TokenCapability.valueOf(name.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Configuration " + PID + ": unknown capability '" + name
                            + "'; the model can add " + SafeNet.OPTIONAL);
                }
            }
        }
        SafeNet.capabilities(false, model);
        Optional<String> library = SafeNetLibraries.choose(config.library());
        Pkcs11TokenDriver opened = null;
        String problem = null;
        if (library.isEmpty()) {
            problem = "SafeNet Authentication Client not found (probed "
                    + SafeNetLibraries.defaults(System.getProperty("os.name")) + "); install SAC or set 'library' in"
                    + " configuration " + PID;
            LOG.error("{}: no '{}' token driver", problem, SafeNet.DRIVER_ID);
        } else {
            try {
                opened = SafeNet.open(library.get(), model, config.poolSize(),
                        Duration.ofMillis(config.borrowTimeoutMillis()));
            } catch (RuntimeException e) {
                problem = "SafeNet PKCS#11 library " + library.get() + " cannot be used (" + e.getMessage() + ")";
                LOG.error("{}: no '{}' token driver", problem, SafeNet.DRIVER_ID);
            }
        }
        published = opened == null ? null : PublishedDriver.publish(context, opened, SafeNet.DRIVER_ID);
        unusable = problem == null ? null : DriverHealth.unusable(SafeNet.DRIVER_ID, problem).register(context);
    }

    Pkcs11TokenDriver driver() {
        return published == null ? null : published.driver();
    }

    @Deactivate
    void deactivate() {
        if (unusable != null) {
            try {
                unusable.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters the services of a stopping bundle itself
            }
        }
        if (published != null) {
            published.close();
        }
    }
}
