package io.cachet.web.internal.http;

import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.ServletRequest;

/**
 * Limits that keep slow or numerous clients from holding every thread: at most {@code maxConnections} open
 * connections (Jetty's {@link ConnectionLimit}: beyond it the server stops accepting until one closes) and a
 * minimum request data rate (a body that arrives slower is ended with 408). Jetty 11 has both, but Felix HTTP
 * Jetty 5.1.26 offers no setting for them and publishes no hook to its server; the server is reachable from any
 * request it serves, so the guard applies them once, at the first request (the launcher's own readiness request
 * at start-up, in {@code cachet.jar}).
 */
final class JettyLimits {
    private static final Logger LOG = LoggerFactory.getLogger(JettyLimits.class);

    private final int maxConnections;
    private final long minRequestDataRate;
    private volatile boolean applied;

    /**
     * @param maxConnections at most this many open connections; 0 = no cap
     * @param minRequestDataRate bytes per second a request body must at least arrive at; 0 = no minimum
     */
    JettyLimits(int maxConnections, long minRequestDataRate) {
        this.maxConnections = maxConnections;
        this.minRequestDataRate = minRequestDataRate;
    }

    /** Reads {@code cachet.http.maxConnections} and {@code cachet.http.minRequestDataRate} (framework properties). */
    static JettyLimits of(String maxConnections, String minRequestDataRate) {
        return new JettyLimits(number(maxConnections, 1000, "cachet.http.maxConnections"),
                number(minRequestDataRate, 1024, "cachet.http.minRequestDataRate"));
    }

    void applyOnce(ServletRequest request) {
        if (applied) {
            return;
        }
        synchronized (this) {
            if (applied) {
                return;
            }
            applied = true;
            try {
                Request base = Request.getBaseRequest(request);
                Server server = base == null || base.getHttpChannel() == null ? null : base.getHttpChannel().getServer();
                if (server == null) {
                    LOG.warn("The HTTP server is not Jetty: no connection cap or minimum request data rate is set");
                    return;
                }
                apply(server);
            } catch (LinkageError | RuntimeException e) {
                LOG.warn("Could not set the HTTP connection cap and minimum request data rate: {}", e.toString());
            }
        }
    }

    void apply(Server server) throws RuntimeException {
        for (Connector connector : server.getConnectors()) {
            HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) {
                http.getHttpConfiguration().setMinRequestDataRate(minRequestDataRate);
            }
        }
        if (maxConnections > 0 && server.getBean(ConnectionLimit.class) == null) {
            ConnectionLimit limit = new ConnectionLimit(maxConnections, server);
            server.addBean(limit);
            try {
                // a bean added to a running server is not started by it
                limit.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the connection cap: " + e, e);
            }
        }
        LOG.info("HTTP limits: at most {} connections, request bodies at {} bytes/s or more", maxConnections,
                minRequestDataRate);
    }

    private static int number(String value, int fallback, String name) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.warn("Framework property {}={} is not a whole number >= 0; using {}", name, value, fallback);
        return fallback;
    }
}
