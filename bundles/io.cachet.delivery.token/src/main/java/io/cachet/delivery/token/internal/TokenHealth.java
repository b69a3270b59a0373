package io.cachet.delivery.token.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.health.HealthIndicator;

/**
 * {@code token-delivery} on {@code /health}: whether provisioning can run now (the orders, the issuance, the
 * shipments and the CA are installed; while one is missing the station is told to try again later, which does not
 * take Cachet out of service), and whether the background job (reports to orders) last ran.
 */
@Component(service = HealthIndicator.class)
public class TokenHealth implements HealthIndicator {

    private final TokenDeliveriesComponent deliveries;

    @Activate
    public TokenHealth(@Reference TokenDeliveriesComponent deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public String name() {
        return "token-delivery";
    }

    @Override
    public Health check() {
        try {
            List<String> missing = deliveries.missing();
            String ready = missing.isEmpty() ? "provisioning ready (pin-key " + deliveries.service().pinKey().id()
                    + ")" : "provisioning waits for: " + String.join(", ", missing) + " (stations are told to try"
                            + " again later)";
            String jobs = deliveries.lastJobFailure();
            return new Health(jobs == null, jobs == null ? ready : ready + "; background job failing: " + jobs);
        } catch (RuntimeException e) {
            return new Health(false, "token delivery state unreadable: " + e.getClass().getSimpleName());
        }
    }
}
