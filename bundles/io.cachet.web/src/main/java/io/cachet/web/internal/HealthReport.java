package io.cachet.web.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cachet.api.health.HealthIndicator.Health;

/**
 * What {@code GET /health} answers, computed from plain facts so that it can be tested without a framework.
 * Healthy means: every bundle that should be active is, every enabled component is satisfied (components
 * waiting for a configuration they require are not failures), every indicator is healthy and every required
 * indicator is present. Bundles an operator dropped into DATA/deploy are listed with their state but do not
 * make Cachet unhealthy: a broken add-on is reported, the core keeps serving.
 */
public record HealthReport(boolean healthy, Map<String, Object> body) {

    /** A bundle as seen by the report. */
    public record BundleFact(String symbolicName, boolean fragment, boolean active, boolean deployed) {
        public BundleFact(String symbolicName, boolean fragment, boolean active) {
            this(symbolicName, fragment, active, false);
        }
    }

    /** A component as seen by the report; {@code state} is the SCR state name. */
    public record ComponentFact(String name, String state, String detail) {
    }

    static final Set<String> SATISFIED = Set.of("ACTIVE", "SATISFIED", "UNSATISFIED_CONFIGURATION");

    public static HealthReport of(List<BundleFact> bundles, List<ComponentFact> components,
            Map<String, Health> indicators, Set<String> requiredIndicators) {
        List<String> inactive = new ArrayList<>();
        List<Map<String, Object>> deployed = new ArrayList<>();
        int active = 0;
        for (BundleFact b : bundles) {
            if (b.deployed()) {
                deployed.add(Map.of("bundle", String.valueOf(b.symbolicName()), "active", b.active() || b.fragment()));
            }
            if (b.fragment() || b.active()) {
                active++;
            } else if (!b.deployed()) {
                inactive.add(b.symbolicName());
            }
        }
        List<Map<String, String>> unsatisfied = new ArrayList<>();
        int satisfied = 0;
        for (ComponentFact c : components) {
            if (SATISFIED.contains(c.state())) {
                satisfied++;
            } else {
                unsatisfied.add(Map.of("name", c.name(), "state", c.state(), "detail", c.detail()));
            }
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean checksOk = true;
        for (var e : indicators.entrySet()) {
            checks.put(e.getKey(), Map.of("healthy", e.getValue().healthy(), "detail", e.getValue().detail()));
            checksOk &= e.getValue().healthy();
        }
        for (String required : requiredIndicators) {
            if (!indicators.containsKey(required)) {
                checks.put(required, Map.of("healthy", false, "detail", "not available yet"));
                checksOk = false;
            }
        }
        boolean healthy = inactive.isEmpty() && unsatisfied.isEmpty() && checksOk;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "UP" : "DOWN");
        body.put("bundles", Map.of("total", bundles.size(), "active", active, "notActive", inactive));
        body.put("deployed", deployed);
        body.put("components", Map.of("total", components.size(), "satisfied", satisfied, "unsatisfied", unsatisfied));
        body.put("checks", checks);
        return new HealthReport(healthy, body);
    }

    /** What anyone may see: up or down, nothing about how Cachet is set up. */
    public Map<String, Object> publicBody() {
        return Map.of("status", healthy ? "UP" : "DOWN");
    }
}
