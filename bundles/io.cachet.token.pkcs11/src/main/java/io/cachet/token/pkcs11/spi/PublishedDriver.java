package io.cachet.token.pkcs11.spi;

import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

import io.cachet.api.health.HealthIndicator;
import io.cachet.api.token.TokenDriver;

/**
 * A PKCS#11 driver published as a {@link TokenDriver} service with {@code token.driver=<id>}, as a vendor
 * profile's component does when its library is present, with its {@link DriverHealth} indicator. {@link #close()}
 * withdraws both services, then closes the driver (and, with the last driver on it, the module). Not thread-safe:
 * owned by one component.
 */
public final class PublishedDriver implements AutoCloseable {

    private final Pkcs11TokenDriver driver;
    private final ServiceRegistration<TokenDriver> registration;
    private final ServiceRegistration<HealthIndicator> health;

    private PublishedDriver(Pkcs11TokenDriver driver, ServiceRegistration<TokenDriver> registration,
            ServiceRegistration<HealthIndicator> health) {
        this.driver = driver;
        this.registration = registration;
        this.health = health;
    }

    /**
     * Registers {@code driver} under {@code id}, and its {@link DriverHealth}; on failure the driver is closed and
     * the error passed on.
     */
    public static PublishedDriver publish(BundleContext context, Pkcs11TokenDriver driver, String id) {
        ServiceRegistration<TokenDriver> registration = null;
        try {
            registration = context.registerService(TokenDriver.class, driver,
                    FrameworkUtil.asDictionary(Map.of(TokenDriver.ID, id)));
            return new PublishedDriver(driver, registration, DriverHealth.of(id, driver).register(context));
        } catch (RuntimeException e) {
            if (registration != null) {
                unregister(registration);
            }
            driver.close();
            throw e;
        }
    }

    public Pkcs11TokenDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        unregister(health);
        unregister(registration);
        driver.close();
    }

    static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters the services of a stopping bundle itself
        }
    }
}
