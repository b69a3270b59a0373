package io.cachet.audit.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;

/**
 * Puts the deployment's own state changes into the audit log: configurations created, updated or deleted
 * (the PID only — values may hold secrets) and bundles installed, updated or uninstalled while Cachet runs
 * (a token driver, an identity provider or a brand swapped in, say).
 */
@Component(service = ConfigurationListener.class, immediate = true)
public class RuntimeChangeAuditor implements ConfigurationListener, BundleListener {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeChangeAuditor.class);

    private final AuditLog audit;
    private final BundleContext context;

    @Activate
    public RuntimeChangeAuditor(@Reference AuditLog audit, BundleContext context) {
        this.audit = audit;
        this.context = context;
        context.addBundleListener(this);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String action = switch (event.getType()) {
            case ConfigurationEvent.CM_UPDATED -> "configuration.updated";
            case ConfigurationEvent.CM_DELETED -> "configuration.deleted";
            case ConfigurationEvent.CM_LOCATION_CHANGED -> "configuration.location.changed";
            default -> null;
        };
        if (action != null) {
            record(action, "pid:" + event.getPid(), event.getFactoryPid() == null ? "" : "factory " + event.getFactoryPid());
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        String action = action(event.getType());
        if (action != null) {
            Bundle b = event.getBundle();
            record(action, "bundle:" + b.getSymbolicName() + "@" + b.getVersion(), b.getLocation());
        }
    }

    static String action(int bundleEventType) {
        return switch (bundleEventType) {
            case BundleEvent.INSTALLED -> "bundle.installed";
            case BundleEvent.UPDATED -> "bundle.updated";
            case BundleEvent.UNINSTALLED -> "bundle.uninstalled";
            default -> null;
        };
    }

    private void record(String action, String subject, String details) {
        try {
            audit.append(AuditEvent.of("system", action, subject, details));
        } catch (RuntimeException e) {
            // the change has happened already; losing its record must at least be visible
            LOG.error("Could not audit {} of {}: {}", action, subject, e.getMessage());
        }
    }
}
