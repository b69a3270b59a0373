package io.cachet.delivery.cloud.internal.sign;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.health.HealthIndicator;

/**
 * {@code clickcert} on {@code /health}: whether holders can sign now (the cloud keys, the signer and, for levels T and
 * above, the platform seal key's TSA are installed; while one is missing holders are told to try again later, which
 * does not take Cachet out of service), and whether the purge last ran.
 */
@Component(service = HealthIndicator.class)
public class ClickCertHealth implements HealthIndicator {

    private final ClickCertComponent component;

    @Activate
    public ClickCertHealth(@Reference ClickCertComponent component) {
        this.component = component;
    }

    @Override
    public String name() {
        return "clickcert";
    }

    @Override
    public Health check() {
        try {
            List<String> missing = component.missing();
            String ready = missing.isEmpty() ? "signing ready (PAdES-" + component.service().settings().level() + ")"
                    : "signing waits for: " + String.join(", ", missing) + " (holders are told to try again later)";
            String purge = component.lastJobFailure();
            return new Health(purge == null, purge == null ? ready : ready + "; purge failing: " + purge);
        } catch (RuntimeException e) {
            return new Health(false, "Click&Cert state unreadable: " + e.getClass().getSimpleName());
        }
    }
}
