package io.cachet.acceptance.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.health.HealthIndicator;

/**
 * {@code acceptance} on {@code /health}: whether acceptances can be sealed now (the platform seal key and the signer
 * are installed; without them persons are asked to try again later, which does not take Cachet out of service), and
 * whether the background job (reports to orders) last ran.
 */
@Component(service = HealthIndicator.class)
public class AcceptanceHealth implements HealthIndicator {

    private final AcceptancesComponent acceptances;

    @Activate
    public AcceptanceHealth(@Reference AcceptancesComponent acceptances) {
        this.acceptances = acceptances;
    }

    @Override
    public String name() {
        return "acceptance";
    }

    @Override
    public Health check() {
        try {
            String sealing = acceptances.sealingReady() ? "sealing ready (platform seal key and signer installed)"
                    : "sealing not available: the platform seal key or the signer is missing; persons are asked to"
                            + " try again later (check the CA and the signature bundle)";
            String jobs = acceptances.lastJobFailure();
            return new Health(jobs == null, jobs == null ? sealing : sealing + "; background job failing: " + jobs);
        } catch (RuntimeException e) {
            return new Health(false, "acceptance state unreadable: " + e.getClass().getSimpleName());
        }
    }
}
