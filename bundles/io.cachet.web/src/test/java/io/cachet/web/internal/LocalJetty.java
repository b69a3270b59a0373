package io.cachet.web.internal;

import java.net.InetSocketAddress;
import java.util.EnumSet;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;

/** The tests' real HTTP server: Jetty on a free port of 127.0.0.1, one filter in front of one servlet. */
public final class LocalJetty implements AutoCloseable {

    private final Server server;
    private final String base;

    private LocalJetty(Server server) {
        this.server = server;
        this.base = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Starts {@code filter} in front of {@code servlet}, mapped at {@code servletPattern} ("/*", or "/"). */
    public static LocalJetty start(Filter filter, Servlet servlet, String servletPattern) throws Exception {
        Server server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(servlet), servletPattern);
        server.setHandler(context);
        server.start();
        return new LocalJetty(server);
    }

    /** {@code http://127.0.0.1:<port>} */
    public String base() {
        return base;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
