package io.cachet.webhook.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.security.RandomTokens;
import io.cachet.api.security.SecretVault;
import io.cachet.webhook.internal.WebhookStore.Attempt;
import io.cachet.webhook.internal.WebhookStore.Delivery;
import io.cachet.webhook.internal.WebhookStore.Endpoint;
import io.cachet.webhook.internal.WebhookStore.Sealed;
import io.cachet.webhook.internal.WebhookStore.Status;

/**
 * The webhooks of resellers, plain Java: endpoints (their secrets sealed with the master key), the delivery rows one
 * order transition queues in its own transaction, and one delivery attempt at a time for the sender. Thread-safe.
 */
final class Webhooks {

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    static final String EVENT_TYPE = "order.state_changed";
    static final String REVOKED_TYPE = "certificate.revoked";
    static final String SECRET_PREFIX = "whsec_";
    /** Live endpoints a reseller may have at once. */
    static final int MAX_ENDPOINTS = 10;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How deliveries are made. */
    record Settings(Backoff backoff, Duration connectTimeout, Duration readTimeout, Duration rotationGrace) {
        Settings {
            if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeoutSeconds and readTimeoutSeconds must be 1 or more");
            }
            if (rotationGrace.isNegative()) {
                throw new IllegalArgumentException("rotationGraceHours must be 0 or more");
            }
        }
    }

    /** An endpoint with the secret it was just given: the only time the secret is shown. */
    record Issued(Endpoint endpoint, String secret) {
        @Override
        public String toString() {
            return "Issued[" + endpoint + ", secret=(hidden)]";
        }
    }

    private final WebhookStore store;
    private final SecretVault vault;
    private final AuditLog audit;
    private final UrlPolicy policy;
    private final Settings settings;
    private final Clock clock;
    private final String node;
    /**
     * Made at the first delivery, not at activation: building a client initialises the JDK's default TLS context,
     * which reads its whole trust store (~0.2 s of CPU on the start's critical path, profiled), and most starts
     * deliver nothing for a while.
     */
    private volatile HttpClient http;
    private final Object httpLock = new Object();
    private final SecureRandom random = new SecureRandom();

    Webhooks(WebhookStore store, SecretVault vault, AuditLog audit, UrlPolicy policy, Settings settings, Clock clock,
            String node) {
        this.store = Objects.requireNonNull(store, "store");
        this.vault = Objects.requireNonNull(vault, "vault");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.node = node;
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (httpLock) {
                client = http;
                if (client == null) {
                    // never follow a redirect: the policy checked this URL, not wherever a receiver would send us
                    client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(settings.connectTimeout()).version(HttpClient.Version.HTTP_1_1).build();
                    http = client;
                }
            }
        }
        return client;
    }

    // ------------------------------------------------------------------ endpoints

    /**
     * Registers an endpoint of {@code reseller}.
     *
     * @throws IllegalArgumentException naming the field when the URL is refused, or the reseller has too many
     */
    Issued register(String reseller, String url, String actor) {
        URI uri = policy.check(url);
        String id = "wh_" + suffix();
        String secret = newSecret();
        Instant now = now();
        Endpoint e = store.database().inTransaction(c -> {
            if (store.endpoints(c, reseller).size() >= MAX_ENDPOINTS) {
                throw new IllegalArgumentException("This reseller already has " + MAX_ENDPOINTS + " webhooks, the most"
                        + " allowed; delete one first.");
            }
            store.insertEndpoint(c, id, reseller, uri.toString(), seal(id, secret), now);
            audit.append(AuditEvent.of(actor, "webhook.created", "webhook:" + id, "reseller=" + reseller + "\nurl="
                    + uri));
            return store.endpoint(c, id, false).orElseThrow().endpoint();
        });
        return new Issued(e, secret);
    }

    Optional<Endpoint> find(String id) {
        if (id == null || !id.matches("wh_[a-z2-7]{16}")) {
            return Optional.empty();
        }
        return store.database().inTransaction(c -> store.endpoint(c, id, false).map(Sealed::endpoint)
                .filter(e -> e.deletedAt() == null));
    }

    /** @return the live endpoints of {@code reseller}, or of every reseller when null */
    List<Endpoint> list(String reseller) {
        return store.database().inTransaction(c -> store.endpoints(c, reseller));
    }

    /**
     * Gives the endpoint a new secret. During {@code rotationGrace} the previous secret still signs each delivery
     * (a second {@code v1=} entry), so that the receiver can switch without losing an event.
     */
    Issued rotate(String id, String actor) {
        String secret = newSecret();
        Instant now = now();
        Endpoint e = store.database().inTransaction(c -> {
            Sealed s = live(c, id);
            boolean grace = !settings.rotationGrace().isZero();
            store.rotate(c, id, seal(id, secret), grace ? s.secret() : null,
                    grace ? now.plus(settings.rotationGrace()) : null, now);
            audit.append(AuditEvent.of(actor, "webhook.secret.rotated", "webhook:" + id, "previousValidUntil="
                    + (grace ? now.plus(settings.rotationGrace()) : "(none)")));
            return store.endpoint(c, id, false).orElseThrow().endpoint();
        });
        return new Issued(e, secret);
    }

    /** Deletes the endpoint: nothing more is queued for it and its pending deliveries end (FAILED). */
    void delete(String id, String actor) {
        Instant now = now();
        store.database().inTransaction(c -> {
            live(c, id);
            store.delete(c, id, now);
            audit.append(AuditEvent.of(actor, "webhook.deleted", "webhook:" + id, ""));
            return null;
        });
    }

    Map<Delivery, List<Attempt>> deliveries(String endpoint, int offset, int limit) {
        return store.deliveries(endpoint, offset, limit);
    }

    private Sealed live(Connection c, String id) throws SQLException {
        return store.endpoint(c, id, true).filter(s -> s.endpoint().deletedAt() == null)
                .orElseThrow(() -> new NoSuchElementException("There is no webhook " + id + "."));
    }

    /** A webhook that does not exist, or not for this caller. */
    static final class NoSuchElementException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSuchElementException(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ order transitions

    /**
     * Queues one delivery per live endpoint of the order's reseller, with its audit record, in the caller's (the
     * transition's) transaction. An event queued before for an endpoint (the same transition told twice) is not
     * queued again.
     */
    void transitioned(OrderEvent event, Order order) {
        if (order.reseller() == null) {
            return;
        }
        Instant now = now();
        store.database().inTransaction(c -> {
            for (Endpoint e : store.endpoints(c, order.reseller())) {
                if (store.queued(c, e.id(), order.id(), event.sequence())) {
                    continue;
                }
                String id = "whd_" + suffix();
                store.insertDelivery(c, id, e.id(), order.id(), event.sequence(), EVENT_TYPE, body(id, event, order),
                        now);
                audit.append(AuditEvent.of(event.actor() == null ? "system" : event.actor(), "webhook.delivery.queued",
                        "webhook-delivery:" + id, "webhook=" + e.id() + "\norder=" + order.id() + "\nsequence="
                                + event.sequence() + "\nstate=" + event.to()));
            }
            return null;
        });
    }

    /**
     * Queues one {@value #REVOKED_TYPE} delivery per live endpoint of the order's reseller, with its audit record, in
     * the caller's (the revocation's) transaction. A revocation happens once per certificate, so nothing is told twice;
     * an order's revocations are numbered -1, -2, … in the delivery's event sequence, apart from its transitions'
     * (1, 2, …), which the one-delivery-per-event constraint keys on.
     */
    void revoked(Order order, IssuedCertificate certificate, String actor) {
        if (order.reseller() == null || certificate.revocation().isEmpty()) {
            return;
        }
        IssuedCertificate.Revocation r = certificate.revocation().get();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", order.id());
        o.put("state", order.state().name());
        Map<String, Object> cert = new LinkedHashMap<>();
        cert.put("serial", certificate.serialHex());
        cert.put("revokedAt", r.time().toString());
        cert.put("reason", r.reason().rfcName());
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("order", o);
        content.put("certificate", cert);
        Instant now = now();
        store.database().inTransaction(c -> {
            for (Endpoint e : store.endpoints(c, order.reseller())) {
                long sequence = Math.min(store.lowestSequence(c, e.id(), order.id()), 0) - 1;
                String id = "whd_" + suffix();
                store.insertDelivery(c, id, e.id(), order.id(), sequence, REVOKED_TYPE,
                        json(id, REVOKED_TYPE, r.time(), content), now);
                audit.append(AuditEvent.of(actor, "webhook.delivery.queued", "webhook-delivery:" + id, "webhook="
                        + e.id() + "\norder=" + order.id() + "\ncertificate=" + certificate.serialHex()
                        + "\nrevoked=" + r.reason().rfcName()));
            }
            return null;
        });
    }

    static String body(String deliveryId, OrderEvent event, Order order) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", order.id());
        o.put("state", event.to().name());
        o.put("previousState", event.from() == null ? null : event.from().name());
        o.put("reason", event.reason() == null || event.reason().isEmpty() ? null : event.reason());
        return json(deliveryId, EVENT_TYPE, event.at() == null ? Instant.now() : event.at(), Map.of("order", o));
    }

    /** A delivery's body: its id, its type, when the event happened, then {@code content} (its keys in order). */
    private static String json(String deliveryId, String type, Instant at, Map<String, Object> content) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("id", deliveryId);
        b.put("type", type);
        b.put("createdAt", at.toString());
        b.putAll(content);
        try {
            return JSON.writeValueAsString(b);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ delivering

    /**
     * Delivers up to {@code max} due deliveries, each in a transaction of its own: claim with
     * {@code FOR UPDATE SKIP LOCKED}, POST while the row stays locked, record the attempt, commit. Another node skips
     * the locked row; a node that dies mid-way releases it with its connection and the delivery is tried again
     * (receivers de-duplicate by {@code Cachet-Webhook-Id}).
     *
     * @return how many were attempted
     */
    int deliverDue(int max) {
        int n = 0;
        while (n < max && deliverOne()) {
            n++;
        }
        return n;
    }

    boolean deliverOne() {
        return store.database().inTransaction(c -> {
            Optional<Delivery> claimed = store.claimNext(c, clock.instant());
            if (claimed.isEmpty()) {
                return false;
            }
            Delivery d = claimed.get();
            int attempt = d.attempts() + 1;
            Optional<Sealed> endpoint = store.endpoint(c, d.endpoint(), false);
            Instant start = clock.instant();
            long t0 = System.nanoTime();
            Integer code = null;
            String error = null;
            boolean retry = true;
            if (endpoint.isEmpty() || endpoint.get().endpoint().deletedAt() != null) {
                error = "the webhook was deleted";
                retry = false;
            } else {
                try {
                    code = post(endpoint.get(), d, start);
                    error = code / 100 == 2 ? null : "HTTP " + code;
                } catch (IllegalArgumentException refused) {
                    error = refused.getMessage();
                } catch (IOException e) {
                    error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    error = "interrupted";
                } catch (GeneralSecurityException e) {
                    error = "the signing secret cannot be opened with this master key: " + e.getMessage();
                }
            }
            long millis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            Status status;
            Instant next = null;
            if (error == null) {
                status = Status.DELIVERED;
            } else {
                Duration wait = retry ? settings.backoff().after(attempt) : null;
                status = wait == null ? Status.FAILED : Status.PENDING;
                next = wait == null ? null : start.plus(wait);
            }
            store.recordAttempt(c, d, new Attempt(d.id(), attempt, start, code, error, millis, next, node), status);
            audit.append(AuditEvent.of("system", "webhook.delivery." + switch (status) {
                case DELIVERED -> "delivered";
                case FAILED -> "failed";
                case PENDING -> "retry";
            }, "webhook-delivery:" + d.id(), "webhook=" + d.endpoint() + "\norder=" + d.orderId() + "\nattempt="
                    + attempt + (code == null ? "" : "\nstatus=" + code) + (error == null ? "" : "\nerror=" + error)
                    + "\nnode=" + node));
            if (status == Status.FAILED) {
                LOG.warn("Webhook delivery {} to {} failed for good after {} attempt(s): {}", d.id(), d.endpoint(),
                        attempt, error);
            }
            return true;
        });
    }

    private int post(Sealed endpoint, Delivery d, Instant now)
            throws IOException, InterruptedException, GeneralSecurityException {
        URI uri = policy.check(endpoint.endpoint().url()); // again: the name may point elsewhere now
        List<String> secrets = new ArrayList<>(2);
        secrets.add(open(endpoint.endpoint().id(), endpoint.secret()));
        if (endpoint.previousSecret() != null && endpoint.endpoint().previousUntil() != null
                && now.isBefore(endpoint.endpoint().previousUntil())) {
            secrets.add(open(endpoint.endpoint().id(), endpoint.previousSecret()));
        }
        byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
        long timestamp = now.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.readTimeout())
                .header("Content-Type", "application/json").header("User-Agent", "Cachet-Webhook/1")
                .header(Signatures.ID, d.id()).header(Signatures.TIMESTAMP, Long.toString(timestamp))
                .header(Signatures.HEADER, Signatures.header(secrets, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<InputStream> response = http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        // the answer's body is not read: closing the stream drops it, however long it is
        response.body().close();
        return response.statusCode();
    }

    // ------------------------------------------------------------------ secrets

    private String newSecret() {
        return SECRET_PREFIX + RandomTokens.urlSafe(random, 32);
    }

    private String seal(String endpointId, String secret) {
        byte[] clear = secret.getBytes(StandardCharsets.UTF_8);
        try {
            return Base64.getEncoder().encodeToString(vault.seal(purpose(endpointId), clear));
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    private String open(String endpointId, String sealed) throws GeneralSecurityException {
        byte[] clear = vault.open(purpose(endpointId), Base64.getDecoder().decode(sealed));
        try {
            return new String(clear, StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /** One purpose per endpoint: a sealed secret copied onto another row does not open there. */
    static String purpose(String endpointId) {
        return "webhook.secret." + endpointId;
    }

    private String suffix() {
        char[] s = new char[16];
        for (int i = 0; i < s.length; i++) {
            s[i] = BASE32[random.nextInt(BASE32.length)];
        }
        return new String(s);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
