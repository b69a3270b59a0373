package io.cachet.token.softhsm.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.token.TokenDriver;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.pkcs11.spi.PublishedDriver;

/**
 * Registers the {@value SoftHsm#DRIVER_ID} {@link TokenDriver} once an operator configures {@value #PID} (a
 * SoftHSM2 module is a test and development token: it is never picked up just because it happens to be
 * installed). Without that configuration the component waits, which {@code /health} counts as satisfied. The
 * registration is made here rather than by SCR so that a configured module that is missing or unusable gets one
 * clear log line and no driver, instead of a service that fails on first use or a failed component.
 */
@Component(name = SoftHsmComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
@Designate(ocd = SoftHsmConfiguration.class)
public class SoftHsmComponent {

    static final String PID = "io.cachet.token.softhsm";
    private static final Logger LOG = LoggerFactory.getLogger(SoftHsmComponent.class);

    /** The driver and its service, or {@code null} when the library is missing or unusable. */
    private final PublishedDriver published;

    @Activate
    public SoftHsmComponent(BundleContext context, SoftHsmConfiguration config) {
        String library = config.library() == null ? "" : config.library().trim();
        Pkcs11TokenDriver opened = null;
        if (library.isEmpty() || !Files.isRegularFile(Path.of(library))) {
            LOG.warn("SoftHSM2 module '{}' not found: no '{}' token driver (install the softhsm2 package, or set "
                    + "'library' in configuration {})", library, SoftHsm.DRIVER_ID, PID);
        } else {
            try {
                opened = SoftHsm.open(library, config.poolSize(), Duration.ofMillis(config.borrowTimeoutMillis()));
            } catch (RuntimeException e) {
                LOG.error("SoftHSM2 module {} cannot be used: no '{}' token driver ({})", library,
                        SoftHsm.DRIVER_ID, e.getMessage());
            }
        }
        published = opened == null ? null : PublishedDriver.publish(context, opened, SoftHsm.DRIVER_ID);
    }

    /** The driver registered, or {@code null} when SoftHSM2 is missing. */
    Pkcs11TokenDriver driver() {
        return published == null ? null : published.driver();
    }

    @Deactivate
    void deactivate() {
        if (published != null) {
            published.close();
        }
    }
}
