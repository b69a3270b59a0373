package io.cachet.web.internal;

import java.time.Duration;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the framework in order when the process is asked to end (SIGTERM, SIGINT: what {@code systemctl stop}, a
 * container runtime or Ctrl+C send). bnd's launcher, which {@code cachet.jar} runs, registers no such hook: without it
 * the JVM just exited, no component was deactivated, Jetty dropped the requests in progress, the database was left
 * open and the next start could not reuse what the components keep between starts (SCR's component descriptions).
 *
 * <p>The hook stops the system bundle, as Felix's own launcher does on a signal, and waits for the stop (bounded: a
 * component that hangs in its deactivation must not keep a process its operator asked to end). SIGKILL cannot be
 * caught: what Cachet acknowledged survives it anyway (README, "Durability"); this only makes a requested stop clean.
 * Removed again when the component goes, so that a framework stopped otherwise (the console, tests) leaves nothing.
 */
@Component(immediate = true)
public final class OrderlyStop {

    /** How long the hook waits for the bundles to stop (H2 alone may compact its file for up to 5 s on close). */
    static final Duration WAIT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(OrderlyStop.class);

    private final Thread hook;

    @Activate
    public OrderlyStop(BundleContext context) {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        this.hook = new Thread(() -> stop(system), "cachet-orderly-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** What the hook runs: the framework stopped, and waited for up to {@link #WAIT}. */
    private static void stop(Bundle system) {
        long started = System.nanoTime();
        try {
            system.stop();
            if (system instanceof Framework framework) {
                FrameworkEvent done = framework.waitForStop(WAIT.toMillis());
                if (done.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    LOG.warn("Cachet did not stop within {} s: the process ends anyway", WAIT.toSeconds());
                    return;
                }
            }
            LOG.info("Cachet stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (BundleException | RuntimeException e) {
            LOG.warn("Cachet could not stop in order: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // the JVM is ending: this deactivation is the hook's own stop at work
        }
    }
}
