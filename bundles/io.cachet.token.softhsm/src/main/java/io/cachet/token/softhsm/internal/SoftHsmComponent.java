package io.cachet.token.softhsm.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.health.HealthIndicator;
import io.cachet.api.token.TokenDriver;
import io.cachet.token.pkcs11.spi.DriverHealth;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.pkcs11.spi.PublishedDriver;

/**
 * Registers the {@value SoftHsm#DRIVER_ID} {@link TokenDriver} once an operator configures {@value #PID} (a
 * SoftHSM2 module is a test and development token: it is never picked up just because it happens to be
 * installed). Without that configuration the component waits, which {@code /health} counts as satisfied. The
 * registration is made here rather than by SCR so that a configured module that is missing or unusable gets one
 * clear log line, no driver and an unhealthy {@code driver.softhsm} check naming it (so {@code /health} answers
 * 503 until the configuration is corrected or removed), instead of a service that fails on first use.
 */
@Component(name = SoftHsmComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
@Designate(ocd = SoftHsmConfiguration.class)
public class SoftHsmComponent {

    static final String PID = "io.cachet.token.softhsm";
    private static final Logger LOG = LoggerFactory.getLogger(SoftHsmComponent.class);

    /** The driver and its service, or {@code null} when the library is missing or unusable. */
    private final PublishedDriver published;
    /** The unhealthy indicator naming the problem when there is no driver, else {@code null}. */
    private final ServiceRegistration<HealthIndicator> unusable;

    @Activate
    public SoftHsmComponent(BundleContext context, SoftHsmConfiguration config) {
        String library = config.library() == null ? "" : config.library().trim();
        Pkcs11TokenDriver opened = null;
        String problem = null;
        if (library.isEmpty() || !Files.isRegularFile(Path.of(library))) {
            problem = "SoftHSM2 module '" + library + "' not found (install the softhsm2 package, or set 'library'"
                    + " in configuration " + PID + ")";
            LOG.error("{}: no '{}' token driver", problem, SoftHsm.DRIVER_ID);
        } else {
            try {
                opened = SoftHsm.open(library, config.poolSize(), Duration.ofMillis(config.borrowTimeoutMillis()));
            } catch (RuntimeException e) {
                problem = "SoftHSM2 module " + library + " cannot be used (" + e.getMessage() + ")";
                LOG.error("{}: no '{}' token driver", problem, SoftHsm.DRIVER_ID);
            }
        }
        published = opened == null ? null : PublishedDriver.publish(context, opened, SoftHsm.DRIVER_ID);
        unusable = problem == null ? null : DriverHealth.unusable(SoftHsm.DRIVER_ID, problem).register(context);
    }

    /** The driver registered, or {@code null} when SoftHSM2 is missing. */
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
