package io.cachet.portal.internal;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.health.BackgroundJob;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.Orders;
import io.cachet.api.store.Database;

/**
 * The job that reminds the persons of an order about to expire ({@link OrderReminders}), configured by PID
 * {@code io.cachet.portal} ({@code reminderDays}, {@code reminderSweepSeconds}). A configuration change restarts it
 * (the default of a DS component without {@code @Modified}).
 */
@Component(service = RemindersComponent.class, immediate = true, configurationPid = PortalSettings.PID)
public class RemindersComponent {

    private static final Logger LOG = LoggerFactory.getLogger(RemindersComponent.class);

    private final OrderReminders reminders;
    private final BackgroundJob job;

    @Activate
    public RemindersComponent(@Reference Database database, @Reference Orders orders,
            @Reference PersonalLinks links, @Reference Notifier notifier, @Reference AuditLog audit,
            PortalConfiguration config, BundleContext context) {
        PortalSettings.Reminders due = PortalSettings.reminders(config);
        PortalSettings settings = PortalSettings.of(config, context.getProperty("org.osgi.service.http.port"));
        this.reminders = new OrderReminders(database, orders,
                new OrderMailer(links, notifier, settings.statusLinkValidity()), audit, Clock.systemUTC(),
                due.days());
        this.job = new BackgroundJob("cachet-portal-reminders", this::sweep,
                e -> LOG.warn("The order reminder job failed; it runs again later: {}", e.toString()));
        job.schedule(due.sweepSeconds(), due.sweepSeconds(), TimeUnit.SECONDS);
    }

    private void sweep() {
        int n = reminders.remindDue();
        if (n > 0) {
            LOG.info("Reminded the persons of {} order(s) of their deadline", n);
        }
    }

    @Deactivate
    void deactivate() {
        job.stop();
    }
}
