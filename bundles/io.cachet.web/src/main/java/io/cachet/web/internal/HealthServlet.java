package io.cachet.web.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.condition.Condition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.cachet.api.health.HealthIndicator;
import io.cachet.api.health.Readiness;

/**
 * {@code GET /health}: 200 once every bundle is active, every component satisfied and every health indicator
 * (the database first) is healthy; 503 before that. The public answer is {@code {"status":"UP"}} (or
 * {@code DOWN}) and nothing else: the details name the database URL, file paths and components, which are for
 * operators. They get them at {@code GET /api/v1/health} ({@link HealthResource}, which asks this component for
 * its {@link HealthReports#report() report}), authenticated with their API key as every API call. Also logs once,
 * when Cachet first becomes healthy, how long the start took, and then registers the condition
 * {@link Readiness#READY}; registers {@link Readiness#SETTLED} on the way, when the start has settled.
 */
@Component(name = "io.cachet.web.health", service = { Servlet.class, HealthReports.class }, immediate = true)
@HttpWhiteboardServletPattern("/health")
@Designate(ocd = HealthConfiguration.class)
public class HealthServlet extends HttpServlet implements HealthReports {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HealthServlet.class);

    private final transient BundleContext context;
    private final transient ServiceComponentRuntime scr;
    private final transient List<String> required;
    private final transient List<HealthIndicator> indicators = new CopyOnWriteArrayList<>();
    private final transient Thread readiness;
    /** Counts service and bundle events: the readiness watch looks again only when something changed. */
    private final transient Changes changes = new Changes();
    private transient volatile Facts facts;
    /** {@link Readiness#SETTLED}, once registered; guarded by {@code this}. */
    private transient ServiceRegistration<Condition> settled;
    /** {@link Readiness#READY}, once registered; guarded by {@code this}. */
    private transient ServiceRegistration<Condition> ready;
    private transient boolean deactivated;
    /** The framework has begun to stop; guarded by {@code this}. */
    private transient boolean frameworkStopping;
    /**
     * Takes {@link Readiness#READY} away as soon as the framework begins to stop: Jetty stops after Cachet's bundles
     * (start level 9), and while their servlets go one by one an address that one served is a 503, not a 404.
     */
    private final transient SynchronousBundleListener stopping = event -> {
        if (event.getType() == BundleEvent.STOPPING && event.getBundle().getBundleId() == 0) {
            frameworkStopping();
        }
    };

    @Activate
    public HealthServlet(BundleContext context, @Reference ServiceComponentRuntime scr, HealthConfiguration config) {
        this.context = context;
        this.scr = scr;
        this.required = List.of(config.requiredIndicators());
        context.addServiceListener(changes);
        context.addBundleListener(changes);
        context.addBundleListener(stopping);
        this.readiness = new Thread(this::announceReady, "cachet-readiness");
        readiness.setDaemon(true);
        readiness.start();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addIndicator(HealthIndicator indicator) {
        indicators.add(indicator);
    }

    void removeIndicator(HealthIndicator indicator) {
        indicators.remove(indicator);
    }

    @Deactivate
    void deactivate() {
        readiness.interrupt();
        context.removeServiceListener(changes);
        context.removeBundleListener(changes);
        context.removeBundleListener(stopping);
        synchronized (this) {
            deactivated = true;
            unregister(ready);
            unregister(settled);
            ready = null;
            settled = null;
        }
    }

    private static void unregister(ServiceRegistration<Condition> condition) {
        if (condition == null) {
            return;
        }
        try {
            condition.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping and took it already
        }
    }

    synchronized boolean settledRegistered() {
        return settled != null;
    }

    /** Registers {@link Readiness#SETTLED} unless it is there already or this component is going away. */
    private synchronized void registerSettled(String why) {
        if (settled != null || deactivated) {
            return;
        }
        settled = registerCondition(Readiness.SETTLED);
        LOG.debug("start settled ({}): condition {} registered", why, Readiness.SETTLED);
    }

    /** Registers {@link Readiness#READY} unless this component or the framework is going away. */
    private synchronized void registerReady() {
        if (ready != null || deactivated || frameworkStopping) {
            return;
        }
        ready = registerCondition(Readiness.READY);
    }

    private synchronized void frameworkStopping() {
        frameworkStopping = true;
        unregister(ready);
        ready = null;
        LOG.debug("the framework is stopping: condition {} withdrawn", Readiness.READY);
    }

    private ServiceRegistration<Condition> registerCondition(String id) {
        java.util.Hashtable<String, Object> properties = new java.util.Hashtable<>();
        properties.put(Condition.CONDITION_ID, id);
        return context.registerService(Condition.class, Condition.INSTANCE, properties);
    }

    /**
     * Settled for {@link Readiness#SETTLED}: every component satisfied but those that wait only for that condition
     * (they are why it exists).
     */
    static boolean settled(List<HealthReport.ComponentFact> components) {
        return components.stream().allMatch(c -> HealthReport.SATISFIED.contains(c.state())
                || (c.state().equals("UNSATISFIED_REFERENCE") && c.detail().equals(WAITING_FOR_CONDITION)));
    }

    /**
     * Why the start has settled, or null while it has not: every component satisfied (but those that wait only for
     * {@link Readiness#SETTLED}); or some still waiting but nothing has happened for
     * {@link Readiness#SETTLE_QUIET_SECONDS} (what they wait for does not come: a misconfiguration, which the health
     * report names) or every bundle has been active for {@link Readiness#SETTLE_BOUND_SECONDS}.
     *
     * @param quietNanos time since the last service or bundle event
     * @param sinceBundlesNanos time since every bundle became active
     */
    static String settleReason(List<HealthReport.ComponentFact> components, long quietNanos, long sinceBundlesNanos) {
        if (settled(components)) {
            return "every component satisfied";
        }
        if (quietNanos > Readiness.SETTLE_QUIET_SECONDS * 1_000_000_000L
                || sinceBundlesNanos > Readiness.SETTLE_BOUND_SECONDS * 1_000_000_000L) {
            return "components still unsatisfied: " + components.stream()
                    .filter(c -> !HealthReport.SATISFIED.contains(c.state())).map(c -> c.name()).toList();
        }
        return null;
    }

    /** The {@link #detail} of a component that waits only for its satisfying condition (DS 1.5). */
    static final String WAITING_FOR_CONDITION = "waiting for osgi.ds.satisfying.condition";

    @Override
    public HealthReport report() {
        return report(true);
    }

    /**
     * @param withIndicators false to leave the indicators out (and not require them): the cheap part of the report,
     *        bundles and components, which the readiness watch checks first
     */
    private HealthReport report(boolean withIndicators) {
        return report(facts(), withIndicators);
    }

    private HealthReport report(Facts facts, boolean withIndicators) {
        List<HealthReport.BundleFact> bundles = facts.bundles();
        List<HealthReport.ComponentFact> components = facts.components();
        Map<String, HealthIndicator.Health> checks = new TreeMap<>();
        if (!withIndicators) {
            return HealthReport.of(bundles, components, checks, new LinkedHashSet<>());
        }
        for (HealthIndicator i : indicators) {
            HealthIndicator.Health h;
            try {
                h = i.check();
            } catch (RuntimeException e) {
                h = new HealthIndicator.Health(false, "check failed: " + e.getMessage());
            }
            checks.put(i.name(), h);
        }
        return HealthReport.of(bundles, components, checks, new LinkedHashSet<>(required));
    }

    /**
     * Bundles and components as of the last service or bundle event: building them walks every component's
     * references, and {@code /health} is polled (every 50 ms by tools/bench/startup.sh) while the server starts.
     * Built again after an event, and at least every second (a component's activation can fail without one).
     */
    private Facts facts() {
        long count = changes.count();
        long now = System.nanoTime();
        Facts last = facts;
        if (last != null && last.changes() == count && now - last.builtAt() < 1_000_000_000L) {
            return last;
        }
        // read before building: an event during the build makes the next caller build again
        Facts built = new Facts(count, now, bundleFacts(), componentFacts());
        facts = built;
        return built;
    }

    /** Every bundle active (fragments and files dropped into DATA/deploy aside, as in {@link HealthReport}). */
    private boolean bundlesStarted() {
        return bundleFacts().stream().allMatch(b -> b.active() || b.fragment() || b.deployed());
    }

    private List<HealthReport.BundleFact> bundleFacts() {
        List<HealthReport.BundleFact> bundles = new ArrayList<>();
        String deployDir = context.getProperty("felix.fileinstall.dir");
        String deployUri = deployDir == null ? null : new java.io.File(deployDir).getAbsoluteFile().toURI().toString();
        for (Bundle b : context.getBundles()) {
            BundleRevision rev = b.adapt(BundleRevision.class);
            boolean fragment = rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            boolean deployed = deployUri != null && b.getLocation().startsWith(deployUri);
            bundles.add(new HealthReport.BundleFact(b.getSymbolicName(), fragment, b.getState() == Bundle.ACTIVE,
                    deployed));
        }
        return List.copyOf(bundles);
    }

    private List<HealthReport.ComponentFact> componentFacts() {
        List<HealthReport.ComponentFact> components = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!scr.isComponentEnabled(d)) {
                continue;
            }
            var configs = scr.getComponentConfigurationDTOs(d);
            if (configs.isEmpty()) {
                // no configuration object at all: waiting for a required configuration
                components.add(new HealthReport.ComponentFact(d.name, d.configurationPolicy.equals("require")
                        ? "UNSATISFIED_CONFIGURATION" : "UNSATISFIED", ""));
            }
            for (ComponentConfigurationDTO c : configs) {
                components.add(new HealthReport.ComponentFact(d.name, state(c.state), detail(c)));
            }
        }
        return List.copyOf(components);
    }

    private record Facts(long changes, long builtAt, List<HealthReport.BundleFact> bundles,
            List<HealthReport.ComponentFact> components) {
    }

    private static String state(int s) {
        return switch (s) {
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "UNKNOWN_" + s;
        };
    }

    private static String detail(ComponentConfigurationDTO c) {
        if (c.failure != null) {
            return c.failure.lines().findFirst().orElse("");
        }
        if (c.unsatisfiedReferences != null && c.unsatisfiedReferences.length > 0) {
            StringBuilder b = new StringBuilder("waiting for");
            for (var r : c.unsatisfiedReferences) {
                b.append(' ').append(r.name);
            }
            return b.toString();
        }
        return "";
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean healthy;
        Map<String, Object> body;
        try {
            HealthReport report = report();
            healthy = report.healthy();
            body = report.publicBody();
        } catch (RuntimeException e) {
            // bundles or components changing while they were read (see announceReady): not known to be ready
            LOG.debug("health: the report could not be built: {}", e.toString());
            healthy = false;
            body = Map.of("status", "DOWN");
        }
        if (healthy) {
            // the readiness watch looks every 100 ms: a client that saw 200 here must find Cachet ready at once
            registerReady();
        }
        resp.setStatus(healthy ? 200 : 503);
        resp.setHeader("Cache-Control", "no-store");
        Json.write(resp, body);
    }

    /**
     * The readiness watch: registers {@link Readiness#SETTLED} once the start has settled and {@link Readiness#READY}
     * once Cachet is healthy, then ends. Nothing else does either (the API waits for the first, and {@code /health}
     * reports healthy only once the API is served), so the watch outlives a look that fails: bundles and components
     * change under it while it reads them, and one such exception once ended it, leaving a first start at 503 for
     * ever (a browser test's Cachet, 2026-12-04).
     */
    private void announceReady() {
        long startedAt = 0;
        long failedLooks = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long seen = changes.count();
                try {
                    // Bundles and components change only with a bundle or service event: the watch builds their part
                    // of the report again only after one (building it walks every component's references; done
                    // every 100 ms while the server started, it took ~10 % of a restart's CPU). The indicators (the
                    // database first) change without events: they are asked, every 100 ms, once bundles and
                    // components are up.
                    if (!bundlesStarted()) {
                        // the cheap part first: while bundles still start, components need not be looked at
                        Thread.sleep(100);
                        continue;
                    }
                    if (startedAt == 0) {
                        startedAt = System.nanoTime();
                    }
                    // one look at bundles and components serves both questions (building it walks every component)
                    Facts now = facts();
                    if (!settledRegistered()) {
                        String why = settleReason(now.components(), changes.quietFor(), System.nanoTime() - startedAt);
                        if (why != null) {
                            registerSettled(why); // the API's component comes: look again at once
                            continue;
                        }
                    }
                    if (report(now, false).healthy()) {
                        if (report(true).healthy()) {
                            String started = context.getProperty("cachet.started");
                            long ms = started == null || started.equals("0") ? -1
                                    : System.currentTimeMillis() - Long.parseLong(started);
                            registerReady();
                            LOG.info("Cachet ready on port {}{}", context.getProperty("org.osgi.service.http.port"),
                                    ms < 0 ? "" : " in " + ms + " ms");
                            return;
                        }
                        Thread.sleep(100);
                    } else {
                        // events come by the thousand while bundles start: look at most every 100 ms, and then
                        // only after one; a component can also fail or recover without an event (its activation
                        // throwing, a configuration arriving): look again at least once a second
                        Thread.sleep(100);
                        changes.awaitAfter(seen, 900);
                    }
                } catch (RuntimeException e) {
                    failedLooks++;
                    if (failedLooks == 1) {
                        LOG.warn("The readiness watch could not read the bundles and components ({}); it looks again",
                                e.toString());
                    } else {
                        LOG.debug("readiness watch: look {} failed: {}", failedLooks, e.toString());
                    }
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            // deactivated
            Thread.currentThread().interrupt();
        } catch (Error e) {
            LOG.error("The readiness watch stopped ({}): Cachet cannot announce that it is ready; restart it",
                    e.toString());
            throw e;
        }
    }

    /** Service and bundle events, counted; {@link #awaitAfter} waits for the next one. */
    static final class Changes implements ServiceListener, BundleListener {

        private long count;
        private long lastAt = System.nanoTime();

        synchronized long count() {
            return count;
        }

        /** Nanoseconds since the last event. */
        synchronized long quietFor() {
            return System.nanoTime() - lastAt;
        }

        @Override
        public void serviceChanged(ServiceEvent event) {
            changed();
        }

        @Override
        public void bundleChanged(BundleEvent event) {
            changed();
        }

        synchronized void changed() {
            count++;
            lastAt = System.nanoTime();
            notifyAll();
        }

        /** Returns once the count differs from {@code seen}, or after {@code maxMillis}. */
        synchronized void awaitAfter(long seen, long maxMillis) throws InterruptedException {
            long end = System.nanoTime() + maxMillis * 1_000_000;
            long left;
            while (count == seen && (left = end - System.nanoTime()) > 0) {
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
