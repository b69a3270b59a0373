package io.cachet.rest.internal;

import java.util.HashSet;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jakartars.runtime.JakartarsServiceRuntime;
import org.osgi.service.jakartars.runtime.dto.ApplicationDTO;
import org.osgi.service.jakartars.runtime.dto.BaseDTO;
import org.osgi.service.jakartars.runtime.dto.FailedResourceDTO;
import org.osgi.service.jakartars.runtime.dto.RuntimeDTO;

import io.cachet.api.health.HealthIndicator;
import io.cachet.api.rest.RestApi;

/**
 * Health check {@code rest}: the API is up once the whiteboard serves its application with every resource and
 * extension registered for it. The whiteboard assembles the application in the background as services come, so
 * without this check {@code /health} could say UP while {@code /api/v1} still answers 404 for a resource on its way.
 * A resource the whiteboard refused (a path taken twice, say) counts as settled and is named in the detail; one it
 * could not get from its bundle while it is still registered does not: the whiteboard is made to assemble the API
 * again ({@link WhiteboardRetry}), each time the runtime changes, until it gets it or gives up.
 */
@Component(service = HealthIndicator.class, immediate = true)
public class RestHealth implements HealthIndicator {

    static final String CONTENT = "(&(|(osgi.jakartars.resource=true)(osgi.jakartars.extension=true))"
            + "(osgi.jakartars.application.select=" + RestApi.APPLICATION_SELECT.replace("(", "\\(").replace(")", "\\)")
            + "))";

    private final BundleContext context;
    private final WhiteboardRetry retry = new WhiteboardRetry();
    private final java.util.concurrent.ScheduledExecutorService retries = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cachet-rest-retry");
                t.setDaemon(true);
                return t;
            });
    private volatile JakartarsServiceRuntime runtime;

    @Activate
    public RestHealth(BundleContext context) {
        this.context = context;
    }

    @org.osgi.service.component.annotations.Deactivate
    void deactivate() {
        retries.shutdownNow();
    }

    /** The whiteboard assembled the API again (its change count moved): anything to ask for again? */
    void updatedRuntime(JakartarsServiceRuntime r) {
        Set<Long> stuck;
        try {
            stuck = WhiteboardRetry.notGettable(r.getRuntimeDTO(), registered());
        } catch (RuntimeException e) {
            return; // the whiteboard is going away
        }
        if (!stuck.isEmpty() && retry.due(stuck)) {
            try {
                retries.schedule(this::nudge, 1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // deactivated meanwhile
            }
        }
    }

    /**
     * Makes the whiteboard assemble the API again: an extension of the API that does nothing, registered and
     * withdrawn at once (the whiteboard reacts to service events only).
     */
    private void nudge() {
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put("osgi.jakartars.extension", Boolean.TRUE);
        props.put("osgi.jakartars.name", "cachet.rest.retry");
        props.put("osgi.jakartars.application.select", RestApi.APPLICATION_SELECT);
        try {
            context.registerService(jakarta.ws.rs.container.ContainerRequestFilter.class, request -> {
                // nothing: its coming and going is the point
            }, props).unregister();
        } catch (IllegalStateException e) {
            // this bundle is stopping
        }
    }

    private Set<Long> registered() {
        Set<Long> registered = new HashSet<>();
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, CONTENT);
            if (refs != null) {
                for (ServiceReference<?> ref : refs) {
                    registered.add((Long) ref.getProperty("service.id"));
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IllegalStateException e) {
            // the bundle context is no longer valid: nothing registered as far as we can tell
        }
        return registered;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedRuntime")
    void setRuntime(JakartarsServiceRuntime runtime) {
        this.runtime = runtime;
        updatedRuntime(runtime);
    }

    void unsetRuntime(JakartarsServiceRuntime runtime) {
        if (this.runtime == runtime) {
            this.runtime = null;
        }
    }

    @Override
    public String name() {
        return "rest";
    }

    @Override
    public Health check() {
        JakartarsServiceRuntime r = runtime;
        if (r == null) {
            return new Health(false, "the Jakarta RESTful Web Services Whiteboard is not running yet");
        }
        return check(r.getRuntimeDTO(), registered());
    }

    static Health check(RuntimeDTO dto, Set<Long> registered) {
        ApplicationDTO app = null;
        for (ApplicationDTO a : dto.applicationDTOs == null ? new ApplicationDTO[0] : dto.applicationDTOs) {
            if (RestApi.APPLICATION_NAME.equals(a.name)) {
                app = a;
            }
        }
        if (app == null) {
            return new Health(false, RestApi.BASE_PATH + " is not served yet");
        }
        Set<Long> settled = new HashSet<>();
        add(settled, app.resourceDTOs);
        add(settled, app.extensionDTOs);
        Set<Long> notGettable = WhiteboardRetry.notGettable(dto, registered);
        StringBuilder failed = new StringBuilder();
        for (FailedResourceDTO f : dto.failedResourceDTOs == null ? new FailedResourceDTO[0] : dto.failedResourceDTOs) {
            if (notGettable.contains(f.serviceId)) {
                continue; // still registered: asked for again
            }
            settled.add(f.serviceId);
            failed.append(failed.length() == 0 ? "; refused: " : ", ").append(f.name).append(" (reason ")
                    .append(f.failureReason).append(')');
        }
        add(settled, dto.failedExtensionDTOs);
        settled.removeAll(notGettable);
        Set<Long> pending = new HashSet<>(registered);
        pending.removeAll(settled);
        if (!pending.isEmpty()) {
            return new Health(false, pending.size() + " resource(s) or extension(s) not in " + RestApi.BASE_PATH
                    + " yet" + (notGettable.isEmpty() ? "" : " (" + notGettable.size()
                            + " could not be got from their bundle: asked for again)"));
        }
        return new Health(true, RestApi.BASE_PATH + " serves " + (app.resourceDTOs == null ? 0
                : app.resourceDTOs.length) + " resources" + failed);
    }

    private static void add(Set<Long> ids, BaseDTO[] dtos) {
        if (dtos != null) {
            for (BaseDTO d : dtos) {
                ids.add(d.serviceId);
            }
        }
    }
}
