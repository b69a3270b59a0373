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
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.cachet.api.health.HealthIndicator;

/**
 * {@code GET /health}: 200 once every bundle is active, every component satisfied and every health indicator
 * (the database first) is healthy; 503 before that. The public answer is {@code {"status":"UP"}} (or
 * {@code DOWN}) and nothing else: the details name the database URL, file paths and components, which are for
 * operators. They get them at {@code GET /api/v1/health} ({@link HealthResource}, which asks this component for
 * its {@link HealthReports#report() report}), authenticated with their API key as every API call. Also logs once,
 * when Cachet first becomes healthy, how long the start took.
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

    @Activate
    public HealthServlet(BundleContext context, @Reference ServiceComponentRuntime scr, HealthConfiguration config) {
        this.context = context;
        this.scr = scr;
        this.required = List.of(config.requiredIndicators());
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
    }

    @Override
    public HealthReport report() {
        return report(true);
    }

    /**
     * @param withIndicators false to leave the indicators out (and not require them): the cheap part of the report,
     *        bundles and components, which the readiness watch checks first
     */
    private HealthReport report(boolean withIndicators) {
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
        HealthReport report = report();
        resp.setStatus(report.healthy() ? 200 : 503);
        resp.setHeader("Cache-Control", "no-store");
        Json.write(resp, report.publicBody());
    }

    private void announceReady() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                // the indicators query the database: asked only once bundles and components are up, since this
                // watch runs while the server starts and every check it makes takes CPU from the start itself
                if (report(false).healthy() && report(true).healthy()) {
                    String started = context.getProperty("cachet.started");
                    long ms = started == null || started.equals("0") ? -1
                            : System.currentTimeMillis() - Long.parseLong(started);
                    LOG.info("Cachet ready on port {}{}", context.getProperty("org.osgi.service.http.port"),
                            ms < 0 ? "" : " in " + ms + " ms");
                    return;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("readiness watch ended: {}", e.toString());
        }
    }
}
