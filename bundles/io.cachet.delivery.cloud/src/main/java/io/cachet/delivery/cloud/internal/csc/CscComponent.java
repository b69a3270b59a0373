package io.cachet.delivery.cloud.internal.csc;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.health.BackgroundJob;
import io.cachet.api.issuance.CloudSigningKeys;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.store.Database;
import io.cachet.delivery.cloud.internal.HolderAccess;

/**
 * The CSC API's service ({@value CscSettings#PID}): {@link CscService} on the deployment's database, with the
 * customer space's accounts ({@link HolderAccess}); the certificates of orders, the cloud keys and the CA (its
 * chain, for credentials/info) are optional and dynamic (while one is missing, the calls that need it answer 503 and nothing changes). A background job deletes
 * tokens and SADs a day after they expired.
 */
@Component(name = CscSettings.PID, service = CscComponent.class, immediate = true)
@Designate(ocd = CscConfiguration.class)
public class CscComponent {

    private static final Logger LOG = LoggerFactory.getLogger(CscComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile OrderCertificates certificates;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CloudSigningKeys keys;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CertificateAuthority ca;

    private final CscService service;
    private final CscApi api;
    private final BackgroundJob purge;
    private volatile CscSettings settings;

    @Activate
    public CscComponent(@Reference Database database, @Reference AuditLog audit, @Reference HolderAccess holders,
            CscConfiguration config) {
        this.settings = CscSettings.of(config);
        CscService.migrate(database);
        this.service = new CscService(database, audit, holders, () -> certificates, () -> keys, this::chain, () -> settings,
                Clock.systemUTC(), new SecureRandom());
        this.api = new CscApi(service);
        this.purge = new BackgroundJob("cachet-csc-purge", () -> service.purge(),
                e -> LOG.warn("CSC purge of expired tokens failed; it runs again later: {}", e.toString()));
        purge.schedule(60, 3600, TimeUnit.SECONDS);
    }

    @Modified
    void modified(CscConfiguration config) {
        settings = CscSettings.of(config);
    }

    @Deactivate
    void deactivate() {
        purge.stop();
    }

    private List<X509Certificate> chain() {
        CertificateAuthority c = ca;
        return c == null ? List.of() : c.chain();
    }

    public CscApi api() {
        return api;
    }
}
