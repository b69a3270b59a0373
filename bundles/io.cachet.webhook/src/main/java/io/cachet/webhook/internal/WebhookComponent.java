package io.cachet.webhook.internal;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderListener;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.webhook.internal.WebhookStore.Attempt;
import io.cachet.webhook.internal.WebhookStore.Delivery;
import io.cachet.webhook.internal.WebhookStore.Endpoint;

/**
 * The webhooks of this node, configured by PID {@code io.cachet.webhook} (optional): an {@link OrderListener} that
 * queues deliveries in each transition's transaction, and the background sender that works the queue every
 * {@code pollSeconds}. A configuration change restarts both.
 */
@Component(name = "io.cachet.webhook", service = { OrderListener.class, WebhookComponent.class }, immediate = true)
@Designate(ocd = WebhookConfiguration.class)
public class WebhookComponent implements OrderListener {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookComponent.class);

    private final Webhooks webhooks;
    private final ScheduledExecutorService sender;
    private final int batchSize;
    private volatile String lastError;

    @Activate
    public WebhookComponent(@Reference Database database, @Reference AuditLog audit, @Reference SecretVault vault,
            WebhookConfiguration config) {
        Webhooks.Settings settings;
        try {
            settings = new Webhooks.Settings(new Backoff(Duration.ofSeconds(config.initialBackoffSeconds()),
                    Duration.ofSeconds(config.maxBackoffSeconds()), config.maxAttempts()),
                    Duration.ofSeconds(config.connectTimeoutSeconds()), Duration.ofSeconds(config.readTimeoutSeconds()),
                    Duration.ofHours(config.rotationGraceHours()));
            if (config.pollSeconds() < 1 || config.batchSize() < 1 || config.batchSize() > 1000) {
                throw new IllegalArgumentException("pollSeconds must be 1 or more and batchSize 1-1000");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (configuration PID io.cachet.webhook)", e);
        }
        this.batchSize = config.batchSize();
        this.webhooks = new Webhooks(new WebhookStore(database), vault, audit,
                new UrlPolicy(config.allowLocalhost(), config.allowPrivateNetworks()), settings, Clock.systemUTC(),
                nodeName());
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cachet-webhook-sender");
            t.setDaemon(true);
            return t;
        });
        sender.scheduleWithFixedDelay(this::round, 0, config.pollSeconds(), TimeUnit.SECONDS);
    }

    private void round() {
        try {
            while (webhooks.deliverDue(batchSize) == batchSize && !sender.isShutdown()) {
                // a full batch: more may be due
            }
            lastError = null;
        } catch (RuntimeException e) {
            String message = "Sending webhooks failed: " + e.getMessage();
            if (!message.equals(lastError)) {
                LOG.error(message);
            }
            lastError = message;
        }
    }

    @Deactivate
    void stop() {
        // no interrupt: it could break an embedded H2 file; the delivery under way finishes or rolls back
        sender.shutdown();
        try {
            if (!sender.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("The webhook sender did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void transitioned(OrderEvent event, Order order) {
        webhooks.transitioned(event, order);
    }

    /** The webhooks this component sends, for the other listeners of this bundle. */
    Webhooks webhooks() {
        return webhooks;
    }

    Webhooks.Issued register(String reseller, String url, String actor) {
        return webhooks.register(reseller, url, actor);
    }

    Optional<Endpoint> find(String id) {
        return webhooks.find(id);
    }

    List<Endpoint> list(String reseller) {
        return webhooks.list(reseller);
    }

    Webhooks.Issued rotate(String id, String actor) {
        return webhooks.rotate(id, actor);
    }

    void delete(String id, String actor) {
        webhooks.delete(id, actor);
    }

    Map<Delivery, List<Attempt>> deliveries(String endpoint, int offset, int limit) {
        return webhooks.deliveries(endpoint, offset, limit);
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
