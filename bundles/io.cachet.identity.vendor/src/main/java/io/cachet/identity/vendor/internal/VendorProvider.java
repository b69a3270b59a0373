package io.cachet.identity.vendor.internal;

import java.time.Clock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.IdentityProvider;
import io.cachet.api.store.Database;

/**
 * The IdentityProvider of an external proofing vendor, id {@code vendor} unless configured otherwise. Exists only
 * with its configuration (PID {@code io.cachet.identity.vendor}); a configuration change replaces it. Starting an
 * attempt creates a session with the vendor's API and sends the person to the vendor's page; the result comes back
 * by the webhook ({@link VendorWebhookResource}).
 */
@Component(name = VendorProvider.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { IdentityProvider.class, VendorProvider.class },
        property = IdentityProvider.ID + "=vendor")
@Designate(ocd = VendorConfiguration.class)
public class VendorProvider implements IdentityProvider {

    static final String PID = "io.cachet.identity.vendor";
    private static final Logger LOG = LoggerFactory.getLogger(VendorProvider.class);

    private final VendorSettings settings;
    private final VendorClient client;
    private final ReplayStore replays;

    @Activate
    public VendorProvider(@Reference Database database, VendorConfiguration config) {
        this(checked(config), database);
        replays.migrate();
        LOG.info("Identity provider {} ready: {}", settings.providerId, settings);
    }

    /** A provider without a database: it starts sessions, it cannot receive their results (tests of start). */
    VendorProvider(VendorSettings settings) {
        this(settings, null);
    }

    private VendorProvider(VendorSettings settings, Database database) {
        this.settings = settings;
        this.client = new VendorClient(settings);
        this.replays = database == null ? null : new ReplayStore(database);
    }

    private static VendorSettings checked(VendorConfiguration config) {
        try {
            return new VendorSettings(config, System::getenv);
        } catch (IllegalArgumentException e) {
            LOG.error("The identity vendor is not started: {} (configuration PID {})", e.getMessage(), PID);
            throw new IllegalArgumentException(e.getMessage() + " (configuration PID " + PID + ")", e);
        }
    }

    @Override
    public String id() {
        return settings.providerId;
    }

    @Override
    public Start start(IdentityCase identityCase, String flowToken, String language) throws IdentityException {
        VendorClient.Session session = client.createSession(identityCase, language);
        return new Start(session.url().toString(), session.id());
    }

    VendorSettings settings() {
        return settings;
    }

    ReplayStore replays() {
        return replays;
    }

    VendorWebhooks webhooks(io.cachet.api.identity.IdentityCases cases, Database database,
            io.cachet.api.audit.AuditLog audit) {
        return new VendorWebhooks(settings, replays, cases, database, audit, Clock.systemUTC());
    }
}
