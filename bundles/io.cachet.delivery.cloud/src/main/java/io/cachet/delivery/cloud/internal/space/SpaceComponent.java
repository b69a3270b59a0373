package io.cachet.delivery.cloud.internal.space;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
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
import io.cachet.api.health.BackgroundJob;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.LazyOrders;
import io.cachet.api.order.Orders;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.delivery.cloud.internal.AuthOutcome;
import io.cachet.delivery.cloud.internal.Holder;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The customer space's accounts ({@code io.cachet.delivery.cloud.space}): the {@link SpaceService} on the
 * deployment's database, offered to Click&amp;Cert and the CSC API as {@link HolderAccess}. The order service is got
 * lazily (it calls this bundle's check); a background job tells the orders' checks what could not be told at once.
 */
@Component(name = SpaceSettings.PID, service = { HolderAccess.class, SpaceComponent.class }, immediate = true)
@Designate(ocd = SpaceConfiguration.class)
public class SpaceComponent implements HolderAccess {

    private static final Logger LOG = LoggerFactory.getLogger(SpaceComponent.class);

    @Reference(service = Orders.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ComponentServiceObjects<Orders> orders;
    private final LazyOrders lazyOrders = new LazyOrders();

    private final SpaceService service;
    private final SpaceAccess access;
    private final BackgroundJob jobs;
    private final String httpPort;
    private final byte[] formKey;
    private volatile SpaceSettings settings;

    @Activate
    public SpaceComponent(@Reference Database database, @Reference AuditLog audit, @Reference SecretVault vault,
            @Reference Notifier notifier, SpaceConfiguration config, BundleContext context) {
        this.httpPort = context.getProperty("org.osgi.service.http.port");
        this.settings = SpaceSettings.of(config, httpPort);
        SpaceService.migrate(database);
        SecureRandom random = new SecureRandom();
        this.formKey = io.cachet.api.web.PublicFormTokens.loadKey(database, vault, "space_key", "form-key",
                "cloudspace.form-key", "The customer space's form key", random);
        this.service = new SpaceService(database, audit, this::ordersNow, notifier, vault, () -> settings,
                Clock.systemUTC(), random);
        this.access = new SpaceAccess(service);
        this.jobs = new BackgroundJob("cachet-cloud-space", this::runDueJobs,
                e -> LOG.warn("Customer space background job failed; it runs again later: {}", e.toString()));
        schedule();
    }

    /** The background job's work: spaces to open, checks to tell, old rows to delete. */
    private void runDueJobs() {
        service.openDue();
        service.reportDue(null);
        service.purge();
    }

    @Modified
    void modified(SpaceConfiguration config) {
        SpaceSettings s = SpaceSettings.of(config, httpPort);
        boolean reschedule = s.jobSeconds() != settings.jobSeconds();
        settings = s;
        if (reschedule) {
            schedule();
        }
    }

    private void schedule() {
        jobs.schedule(settings.jobSeconds(), settings.jobSeconds(), TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        jobs.stop();
        java.util.Arrays.fill(formKey, (byte) 0);
    }

    /** The public forms' key (a copy, for the caller to wipe). */
    byte[] formKey() {
        return formKey.clone();
    }

    SpaceSettings settings() {
        return settings;
    }

    String lastJobFailure() {
        return jobs.lastFailure();
    }

    private Orders ordersNow() {
        return lazyOrders.from(orders);
    }

    SpaceService service() {
        return service;
    }

    // ------------------------------------------------------------------ HolderAccess

    @Override
    public Optional<HolderSession> session(HttpServletRequest request) {
        return access.session(request);
    }

    @Override
    public boolean genuine(HolderSession session, HttpServletRequest request) {
        return access.genuine(session, request);
    }

    @Override
    public Optional<Holder> holder(String holderId) {
        return access.holder(holderId);
    }

    @Override
    public List<String> orderIds(String holderId) {
        return access.orderIds(holderId);
    }

    @Override
    public AuthOutcome login(String email, char[] password, String client) {
        return access.login(email, password, client);
    }

    @Override
    public AuthOutcome confirm(String holderId, char[] password, String factorKind, String factorResponse,
            String origin, String client) {
        return access.confirm(holderId, password, factorKind, factorResponse, origin, client);
    }

    @Override
    public List<String> factors(String holderId) {
        return access.factors(holderId);
    }

    @Override
    public Optional<String> factorChallenge(String holderId) {
        return access.factorChallenge(holderId);
    }

    /** The request-level rules of {@link HolderAccess}, shared with the servlets and tests. */
    static final class Access {
        private Access() {
        }

        /** The value of the session cookie of the request, or null. */
        static String cookie(HttpServletRequest request) {
            Cookie[] cookies = request.getCookies();
            if (cookies != null) {
                for (Cookie c : cookies) {
                    if (SESSION_COOKIE.equals(c.getName())) {
                        return c.getValue();
                    }
                }
            }
            return null;
        }

        static Optional<HolderSession> session(SpaceService service, HttpServletRequest request) {
            Object cached = request.getAttribute(SpaceComponent.class.getName());
            if (cached instanceof HolderSession s) {
                return Optional.of(s);
            }
            Optional<HolderSession> s = service.session(cookie(request));
            s.ifPresent(x -> request.setAttribute(SpaceComponent.class.getName(), x));
            return s;
        }

        static boolean genuine(HolderSession session, HttpServletRequest request, String baseUrl) {
            if (session == null) {
                return false;
            }
            String given = request.getHeader(CSRF_HEADER);
            if (given == null) {
                given = request.getParameter("csrf");
            }
            if (given == null || !java.security.MessageDigest.isEqual(given.getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII), session.csrf().getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII))) {
                return false;
            }
            return sameOrigin(request, baseUrl);
        }

        /** Whether the request's {@code Origin} (else {@code Referer}), when present, is this server's. */
        static boolean sameOrigin(HttpServletRequest request, String baseUrl) {
            String origin = request.getHeader("Origin");
            if (origin == null || origin.isBlank() || "null".equals(origin)) {
                String referer = request.getHeader("Referer");
                if (referer == null || referer.isBlank()) {
                    return origin == null || origin.isBlank();
                }
                origin = referer;
            }
            String o = originOf(origin);
            return o != null && (o.equalsIgnoreCase(originOf(baseUrl)) || o.equalsIgnoreCase(requestOrigin(request)));
        }

        static String originOf(String url) {
            try {
                URI u = URI.create(url.strip());
                if (u.getScheme() == null || u.getHost() == null) {
                    return null;
                }
                int port = u.getPort();
                boolean standard = port < 0 || "https".equalsIgnoreCase(u.getScheme()) && port == 443
                        || "http".equalsIgnoreCase(u.getScheme()) && port == 80;
                return u.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + u.getHost().toLowerCase(
                        java.util.Locale.ROOT) + (standard ? "" : ":" + port);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /** The origin the request was addressed to. */
        static String requestOrigin(HttpServletRequest request) {
            String scheme = request.getScheme() == null ? "https" : request.getScheme();
            int port = request.getServerPort();
            return originOf(scheme + "://" + (request.getServerName() == null ? "localhost" : request.getServerName())
                    + (port > 0 ? ":" + port : ""));
        }
    }
}
