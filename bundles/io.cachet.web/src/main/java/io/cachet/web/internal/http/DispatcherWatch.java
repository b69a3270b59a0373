package io.cachet.web.internal.http;

import org.apache.felix.http.jetty.LoadBalancerCustomizerFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Tells the {@link HttpGuard} whether Felix HTTP's dispatcher hands requests to the whiteboard, and so to the guard.
 *
 * <p>The guard's {@code init} alone does not say so: Felix HTTP Jetty (5.1.26) starts its whiteboard — which initialises
 * the guard first, then takes in every servlet, filter and context already registered — and only then gives its
 * dispatcher the whiteboard; until that moment the dispatcher answers Jetty's bare 404 (a restart in a clean-clone CI
 * run of {@code StartIT} met three of them). Nothing of Felix's is registered at that moment either, but right after it
 * Felix opens its tracker of Jetty {@link RequestLog} services: this watch is such a service, registered as a
 * {@link ServiceFactory} so that it learns when that tracker takes it ({@link #getService}) and gives it back
 * ({@link #ungetService}, when Jetty stops or restarts on a new configuration).
 *
 * <p>On the way down, Felix takes the whiteboard from its dispatcher before it destroys the guard; the watch hears
 * the HTTP bundle's {@code STOPPING} (a synchronous event, sent before that bundle's activator stops Jetty) and says
 * "not dispatching" from then on, so that the guard's customizer answers 503 in that moment too.
 *
 * <p>Written here because Felix HTTP offers no event or service for "the dispatcher is ready"; this is the smallest
 * observable step after it. The request log itself does nothing.
 */
final class DispatcherWatch implements ServiceFactory<RequestLog>, SynchronousBundleListener {

    private static final RequestLog NOTHING = (Request request, Response response) -> {
    };

    private final BundleContext context;
    /** Felix HTTP Jetty's bundle, whose tracker alone counts (null outside a framework: any bundle, for tests). */
    private final Bundle http;
    /** The HTTP bundle whose request-log tracker holds the watch; null while none does. */
    private volatile Bundle dispatching;
    private ServiceRegistration<RequestLog> registration;

    DispatcherWatch(BundleContext context) {
        this.context = context;
        this.http = context == null ? null : FrameworkUtil.getBundle(LoadBalancerCustomizerFactory.class);
    }

    /** Whether Felix HTTP's dispatcher passes requests to the whiteboard now, as far as can be observed. */
    boolean dispatching() {
        return dispatching != null;
    }

    void open() {
        context.addBundleListener(this);
        registration = context.registerService(RequestLog.class, this, null);
    }

    void close() {
        if (context != null) {
            context.removeBundleListener(this);
        }
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework took it already
            }
            registration = null;
        }
        dispatching = null;
    }

    @Override
    public RequestLog getService(Bundle bundle, ServiceRegistration<RequestLog> registration) {
        if (http == null || http.equals(bundle)) {
            dispatching = bundle;
        }
        return NOTHING;
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<RequestLog> registration, RequestLog service) {
        if (bundle.equals(dispatching)) {
            dispatching = null;
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STOPPING && event.getBundle().equals(dispatching)) {
            dispatching = null;
        }
    }
}
