package io.cachet.token.pkcs11.spi;

import java.util.Map;
import java.util.Objects;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

import io.cachet.api.health.HealthIndicator;
import io.cachet.api.token.TokenDriver;

/**
 * The health of one configured token driver, named {@code driver.<id>} in {@code /health}: healthy while the
 * driver lists its slots; unhealthy, naming the driver and what is wrong, when it cannot, or when its module could
 * not be loaded at all ({@link #unusable}). A configured driver that does not work makes Cachet unhealthy; a driver
 * that is not configured has no indicator.
 */
public final class DriverHealth implements HealthIndicator {

    private final String driverId;
    private final TokenDriver driver;
    private final String problem;

    private DriverHealth(String driverId, TokenDriver driver, String problem) {
        this.driverId = Objects.requireNonNull(driverId, "driverId");
        this.driver = driver;
        this.problem = problem;
    }

    /** The health of a driver that was opened: it lists its slots on every check. */
    public static DriverHealth of(String driverId, TokenDriver driver) {
        return new DriverHealth(driverId, Objects.requireNonNull(driver, "driver"), null);
    }

    /** A configured driver whose module is missing or could not be loaded: always unhealthy, saying why. */
    public static DriverHealth unusable(String driverId, String problem) {
        return new DriverHealth(driverId, null, Objects.requireNonNull(problem, "problem"));
    }

    /** Registers this indicator as a service; the caller unregisters it when the driver goes. */
    public ServiceRegistration<HealthIndicator> register(BundleContext context) {
        return context.registerService(HealthIndicator.class, this,
                FrameworkUtil.asDictionary(Map.of(TokenDriver.ID + ".health", driverId)));
    }

    @Override
    public String name() {
        return "driver." + driverId;
    }

    @Override
    public Health check() {
        if (driver == null) {
            return new Health(false, "token driver '" + driverId + "' is configured but unusable: " + problem);
        }
        try {
            int tokens = driver.tokens().size();
            return new Health(true, "token driver '" + driverId + "': module loaded, " + tokens
                    + " slot(s) with a token");
        } catch (RuntimeException e) {
            return new Health(false, "token driver '" + driverId + "' cannot list its slots: " + e.getMessage());
        }
    }
}
