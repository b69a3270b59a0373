package io.cachet.delivery.cloud.internal.space;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.health.HealthIndicator;

/**
 * {@code cloud-space} on {@code /health}: the public address holders get links to (and WebAuthn's relying party),
 * whether spaces open at once, and whether the background job (spaces to open, checks to tell) last ran.
 */
@Component(service = HealthIndicator.class)
public class SpaceHealth implements HealthIndicator {

    private final SpaceComponent space;

    @Activate
    public SpaceHealth(@Reference SpaceComponent space) {
        this.space = space;
    }

    @Override
    public String name() {
        return "cloud-space";
    }

    @Override
    public Health check() {
        try {
            SpaceSettings s = space.settings();
            String state = "links to " + s.baseUrl() + (s.autoOpen() ? "; spaces open at DELIVERY"
                    : "; spaces opened by operators");
            String job = space.lastJobFailure();
            return new Health(job == null, job == null ? state : state + "; background job failing: " + job);
        } catch (RuntimeException e) {
            return new Health(false, "customer space state unreadable: " + e.getClass().getSimpleName());
        }
    }
}
