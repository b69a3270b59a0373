package io.cachet.issuance.internal;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentServiceObjects;
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
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.health.BackgroundJob;
import io.cachet.api.issuance.Issuance;
import io.cachet.api.issuance.CloudSigningKeys;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.order.Order;
import io.cachet.api.order.LazyOrders;
import io.cachet.api.order.Orders;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.TokenDriver;

/**
 * The {@link OrderCertificates} service ({@code io.cachet.issuance}): the {@link IssuanceService} on the deployment's
 * database, the cloud keys on the configured token, and the background worker (due cloud issuances, orders still to
 * be told). The CA and the token driver are dynamic references: while either is missing, cloud issuances wait and
 * are retried. The order service is got lazily (it calls this bundle's check: a cycle otherwise).
 */
@Component(name = IssuanceComponent.PID, service = { OrderCertificates.class, CloudSigningKeys.class, IssuanceComponent.class },
        immediate = true)
@Designate(ocd = IssuanceConfiguration.class)
public class IssuanceComponent implements OrderCertificates, CloudSigningKeys {
    static final String PID = "io.cachet.issuance";
    private static final Logger LOG = LoggerFactory.getLogger(IssuanceComponent.class);

    @Reference(service = Orders.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ComponentServiceObjects<Orders> orders;
    private final LazyOrders lazyOrders = new LazyOrders();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CertificateAuthority ca;

    @Reference(name = "tokenDriver", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TokenDriver driver;

    private final IssuanceService service;
    private final TokenCloudKeys keys;
    private final BackgroundJob jobs;
    private volatile IssuanceService.Timing timing;
    private volatile int jobSeconds;

    @Activate
    public IssuanceComponent(BundleContext context, @Reference Database database, @Reference AuditLog audit,
            @Reference SecretVault vault, IssuanceConfiguration config) {
        Path data = Path.of(Optional.ofNullable(context.getProperty("cachet.data")).filter(s -> !s.isBlank())
                .map(String::trim).orElse("cachet-data"));
        Path pinFile = config.pinFile() == null || config.pinFile().isBlank() ? data.resolve("secrets")
                .resolve("cloud-token.pin") : Path.of(config.pinFile().trim());
        this.timing = timing(config);
        IssuanceService.migrate(database);
        this.keys = new TokenCloudKeys(() -> driver, config.tokenLabel(), pinFile, vault,
                KeyAlgorithm.valueOf(config.keyAlgorithm()));
        this.service = new IssuanceService(database, audit, this::ordersNow, () -> ca, keys, () -> timing,
                Clock.systemUTC());
        this.jobs = new BackgroundJob("cachet-issuance", this::runDueJobs,
                e -> LOG.warn("Issuance jobs failed; they run again later: {}", e.toString()));
        this.jobSeconds = config.jobSeconds();
        schedule();
    }

    private static IssuanceService.Timing timing(IssuanceConfiguration config) {
        return new IssuanceService.Timing(Duration.ofSeconds(config.leaseSeconds()),
                Duration.ofSeconds(config.initialBackoffSeconds()), Duration.ofSeconds(config.maxBackoffSeconds()));
    }

    @Modified
    void modified(IssuanceConfiguration config) {
        timing = timing(config);
        if (config.jobSeconds() != jobSeconds) {
            jobSeconds = config.jobSeconds();
            schedule();
        }
    }

    private void schedule() {
        jobs.schedule(1, Math.max(1, jobSeconds), TimeUnit.SECONDS);
    }

    /** The background jobs' work: due cloud issuances, then outcomes not yet told to their orders. */
    private void runDueJobs() {
        int n = 0;
        while (n++ < 100 && service.runDue()) {
            // one at a time, each in its own lease
        }
        service.tellUnreported(50);
    }

    /** The order entered ISSUANCE: records it and, for a cloud order, issues at once (in the background). */
    void entered(Order order) {
        if (service.entered(order)) {
            jobs.runSoon();
        }
    }

    @Deactivate
    void deactivate() {
        jobs.stop(10, TimeUnit.SECONDS);
        keys.close();
    }

    /** The order service, or null while there is none. */
    Orders ordersNow() {
        return lazyOrders.from(orders);
    }

    /** The issuing CA's certificate, when the CA runs. */
    Optional<java.security.cert.X509Certificate> issuingCa() {
        CertificateAuthority a = ca;
        return a == null || a.chain().isEmpty() ? Optional.empty() : Optional.of(a.chain().get(0));
    }

    // ---- OrderCertificates, delegated

    @Override
    public Optional<IssuedCertificate> find(String orderId) {
        return service.find(orderId);
    }

    @Override
    public Optional<String> orderOf(BigInteger serial) {
        return service.orderOf(serial);
    }

    @Override
    public Optional<Issuance> status(String orderId) {
        return service.status(orderId);
    }

    @Override
    public IssuedCertificate issue(String orderId, String csrPem, String actor) {
        return service.issue(orderId, csrPem, actor);
    }

    @Override
    public io.cachet.api.issuance.Issuance discard(String orderId, io.cachet.api.ca.RevocationReason reason,
            String actor) {
        return service.discard(orderId, reason, actor);
    }

    @Override
    public IssuedCertificate revoke(String orderId, io.cachet.api.ca.RevocationReason reason, String actor) {
        return service.revoke(orderId, reason, actor);
    }

    // ---- CloudSigningKeys

    @Override
    public io.cachet.api.signature.SigningKey signingKey(String orderId) {
        CertificateAuthority a = ca;
        if (a == null) {
            throw new io.cachet.api.issuance.IssuanceException(io.cachet.api.issuance.IssuanceException.Kind.UNAVAILABLE,
                    "The CA is not available now; try again shortly.");
        }
        return CloudSigning.key(orderId, service.status(orderId), service.find(orderId), a.chain(),
                java.time.Instant.now(), keys::view);
    }
}
