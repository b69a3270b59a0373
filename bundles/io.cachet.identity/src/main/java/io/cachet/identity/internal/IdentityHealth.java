package io.cachet.identity.internal;

import java.util.Set;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.health.HealthIndicator;

/**
 * {@code identity} on {@code /health}: the installed identity providers and whether the configured ones are among
 * them (a missing provider is not unhealthy: its persons are asked to come back later), and whether the background
 * jobs (reminders, reports to orders, purge) last ran.
 */
@Component(service = HealthIndicator.class)
public class IdentityHealth implements HealthIndicator {

    private final IdentityComponent identity;

    @Activate
    public IdentityHealth(@Reference IdentityComponent identity) {
        this.identity = identity;
    }

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public Health check() {
        try {
            Set<String> installed = new TreeSet<>(identity.providerIds());
            IdentitySettings s = identity.settings();
            Set<String> configured = new TreeSet<>();
            configured.add(s.defaultProvider());
            configured.addAll(s.resellerRules().values());
            configured.addAll(s.brandRules().values());
            configured.removeAll(installed);
            String jobs = identity.lastJobFailure();
            StringBuilder d = new StringBuilder("providers installed: ")
                    .append(installed.isEmpty() ? "none" : String.join(", ", installed));
            if (!configured.isEmpty()) {
                d.append("; configured but missing: ").append(String.join(", ", configured))
                        .append(" (their persons are asked to come back later: install the provider or change PID ")
                        .append(IdentitySettings.PID).append(')');
            }
            if (jobs != null) {
                d.append("; background jobs failing: ").append(jobs);
            }
            return new Health(jobs == null, d.toString());
        } catch (RuntimeException e) {
            return new Health(false, "identity state unreadable: " + e.getClass().getSimpleName());
        }
    }
}
