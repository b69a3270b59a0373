package io.cachet.web.internal.http;

import java.io.IOException;
import java.util.Set;
import java.util.UUID;

import org.apache.felix.http.jetty.LoadBalancerCustomizerFactory;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.condition.Condition;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.health.Readiness;

/**
 * What every HTTP request of the server passes first, whatever servlet context serves it — the Web Console
 * (which registers its own context) included: a whiteboard {@link Preprocessor} runs before the HTTP runtime
 * picks a context and before any authentication.
 *
 * <ul>
 * <li>{@code TRACE} (and {@code TRACK}) are refused with 405: they would echo credentials back.</li>
 * <li>A query string whose percent-encoding does not decode is a 400.</li>
 * <li>Cross-site request forgery: a state-changing request (any method but GET, HEAD, OPTIONS) to the operator
 * pages ({@code /system/console}, {@code /console}) or carrying browser-sent credentials (HTTP Basic, a
 * cookie) must come from a page of this server ({@link SameOrigin}); otherwise 403. API clients that send
 * {@code Authorization: Bearer} are not affected: browsers never add that header on their own; nor is the CSC
 * API's HTTP Basic login ({@link #browserCredentials}).</li>
 * <li>Security headers on every answer; framing, caching and a content security policy for the console.</li>
 * <li>One error handler ({@link GuardedResponse}, {@link ErrorPage}): no stack trace, class or servlet name in
 * any answer.</li>
 * <li>Console changes are audited under the operator who made them ({@link ConsoleAuditor}).</li>
 * <li>A small body of announced length is read at once ({@link PrefetchedBody}), so that Jetty's minimum data
 * rate judges the client, not the server's own delay before reading.</li>
 * <li>A body a servlet refused unread is read and dropped after the answer ({@link UnreadBody}), so the client
 * gets the answer, not a reset connection.</li>
 * <li>The connection cap and minimum request data rate Felix's Jetty has no setting for ({@link JettyLimits}).</li>
 * <li>While Cachet starts or stops (without {@link Readiness#READY}), an address nothing serves now is a 503 with
 * {@code Retry-After}, not a 404: the HTTP connector opens early in a start and closes late in a stop (start level
 * 9, see {@code features/core/core.bnd}), and the part that serves the address may still be coming, or gone. The
 * servlets behind learn it from the request attribute {@link #STARTING_ATTRIBUTE} (the home page's catch-all).</li>
 * <li>Before the HTTP runtime has put this guard in front of its dispatcher, and again once it has taken it away,
 * Jetty's connector is open but nothing of Cachet's would see a request: Felix HTTP opens the port before it starts
 * its whiteboard and takes the whiteboard down before it closes the port, and its dispatcher then answers Jetty's own
 * 404 page. The guard is also a {@link LoadBalancerCustomizerFactory}, Felix HTTP Jetty's hook into every request
 * before the dispatcher (enabled by {@code org.apache.felix.proxy.load.balancer.connection.enable}, the web
 * feature's run properties): its customizer answers such a request with the same 503 and {@code Retry-After}. The
 * guard counts as in front once the whiteboard has initialised it <em>and</em> Felix's dispatcher hands requests to the
 * whiteboard, which Felix does only after its whiteboard has taken in every service already there
 * ({@link DispatcherWatch}).</li>
 * </ul>
 */
@Component(service = { Preprocessor.class, LoadBalancerCustomizerFactory.class }, immediate = true)
public class HttpGuard implements Preprocessor, LoadBalancerCustomizerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);
    static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    static final Set<String> REFUSED_METHODS = Set.of("TRACE", "TRACK");
    static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    static final String OPERATOR_PAGES = "/console";

    /**
     * The Web Console's pages use inline scripts and event handlers, and two of its libraries (jQuery
     * tablesorter and MultiFile) use eval: its policy allows those, from this server only. Everything else
     * gets a policy that allows nothing a JSON or plain answer needs; pages of their own (home, password)
     * replace it with theirs.
     */
    static final String CONSOLE_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    static final String DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    static final String HSTS = "max-age=31536000";

    private final String consoleRoot;
    private final BundleContext context;
    private final JettyLimits limits;
    private volatile AuditLog audit;
    /** {@link Readiness#READY} while it is registered: the start is complete. */
    private volatile Condition ready;
    /** Between the HTTP runtime's {@link #init} and {@link #destroy} of this guard. */
    private volatile boolean initialised;
    /** Whether the HTTP runtime's dispatcher hands requests to the whiteboard (see {@link DispatcherWatch}). */
    private final DispatcherWatch dispatcher;

    @Activate
    public HttpGuard(BundleContext context) {
        this(context, consoleRoot(context.getProperty("felix.webconsole.manager.root")));
        dispatcher.open();
    }

    HttpGuard(BundleContext context, String consoleRoot) {
        this.context = context;
        this.consoleRoot = consoleRoot;
        this.dispatcher = new DispatcherWatch(context);
        this.limits = JettyLimits.of(context == null ? null : context.getProperty("cachet.http.maxConnections"),
                context == null ? null : context.getProperty("cachet.http.minRequestDataRate"));
    }

    @Deactivate
    void deactivate() {
        dispatcher.close();
    }

    /** The watch of the HTTP runtime's dispatcher, for the tests that play Felix HTTP's part. */
    DispatcherWatch dispatcherWatch() {
        return dispatcher;
    }

    /** Requests pass through this guard now: the whiteboard has initialised it and its dispatcher uses the whiteboard. */
    boolean inFront() {
        return initialised && dispatcher.dispatching();
    }

    static String consoleRoot(String configured) {
        String root = configured == null || configured.isBlank() ? "/system/console" : configured.strip();
        root = root.startsWith("/") ? root : "/" + root;
        return root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAudit(AuditLog audit) {
        this.audit = audit;
    }

    void unsetAudit(AuditLog audit) {
        if (this.audit == audit) {
            this.audit = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = Readiness.READY_TARGET)
    void setReady(Condition ready) {
        this.ready = ready;
    }

    void unsetReady(Condition ready) {
        if (this.ready == ready) {
            this.ready = null;
        }
    }

    /**
     * The request attribute ({@code Boolean.TRUE}) by which the guard tells the servlets behind it that Cachet has not
     * finished starting, or is stopping ({@link #starting()}): the one place that knows.
     */
    public static final String STARTING_ATTRIBUTE = "io.cachet.web.starting";

    /** Cachet has not finished starting, or is stopping: an address not served now may be one whose part is not. */
    boolean starting() {
        return ready == null;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        limits.applyOnce(req);
        if (!(req instanceof HttpServletRequest request) || !(resp instanceof HttpServletResponse response)) {
            chain.doFilter(req, resp);
            return;
        }
        String method = request.getMethod();
        String path = ErrorPage.path(request);
        boolean console = under(path, consoleRoot);
        boolean operatorPages = console || under(path, OPERATOR_PAGES);

        headers(request, response, console, operatorPages);
        if (REFUSED_METHODS.contains(method)) {
            response.setHeader("Allow", ALLOW);
            UnreadBody.before(request, response);
            ErrorPage.write(request, response, 405, "The method " + method + " is not allowed on this server.");
            return;
        }
        if (!QueryEncoding.valid(request.getQueryString())) {
            UnreadBody.before(request, response);
            ErrorPage.write(request, response, 400, "The query string is not valid percent-encoding: a % must be"
                    + " followed by two hexadecimal digits, and the bytes must be UTF-8.");
            return;
        }
        boolean changing = !SAFE_METHODS.contains(method);
        if (changing && (operatorPages || browserCredentials(request)) && !SameOrigin.check(request)) {
            LOG.info("Refused a cross-site {} {} (Origin {}, Referer {})", method, path,
                    printable(request.getHeader("Origin")), printable(request.getHeader("Referer")));
            UnreadBody.before(request, response);
            ErrorPage.write(request, response, 403, "Refused: a request that changes something here must be sent"
                    + " from this server's own pages (its Origin or Referer must be " + request.getScheme() + "://"
                    + request.getServerName() + ":" + request.getServerPort() + ").");
            return;
        }
        String consolePath = console && changing ? path.substring(consoleRoot.length()) : null;
        String bundleBefore = consolePath == null ? null : ConsoleAuditor.bundleOf(consolePath, this::describeBundle);

        HttpServletRequest forwarded;
        try {
            forwarded = PrefetchedBody.of(request);
        } catch (BadMessageException e) {
            ErrorPage.write(request, response, e.getCode(), e.getCode() == 408
                    ? "The request body arrived too slowly; send it again at a steady pace." : null);
            return;
        } catch (IOException e) {
            LOG.debug("{} {}: the request body ended early ({})", method, path, e.toString());
            return; // the client went away mid-body: nobody to answer
        }
        boolean starting = starting();
        if (starting) {
            forwarded.setAttribute(STARTING_ATTRIBUTE, Boolean.TRUE);
        }
        GuardedResponse guarded = new GuardedResponse(forwarded, response, starting);
        try {
            chain.doFilter(forwarded, guarded);
        } catch (IOException | ServletException | RuntimeException e) {
            failed(forwarded, response, e);
        }
        // audit first: it may read the form parameters of a body the console left unread, which draining discards
        if (consolePath != null) {
            audit(forwarded, guarded, consolePath, bundleBefore);
        }
        UnreadBody.after(request, guarded);
        PrefetchedBody.wipe(forwarded);
    }

    private void audit(HttpServletRequest request, HttpServletResponse response, String consolePath,
            String bundleBefore) {
        String login = ConsoleAuditor.operator(request);
        int status = response.getStatus();
        if (login == null || status >= 400) {
            return; // refused: nothing changed
        }
        ConsoleAuditor.Action action = ConsoleAuditor.classify(consolePath, name -> {
            try {
                return request.getParameter(name);
            } catch (RuntimeException e) {
                return null; // a body the console read as a stream, or could not parse
            }
        }, bundleBefore);
        ConsoleAuditor.record(audit, login, action, request.getMethod() + " " + consoleRoot + consolePath + " -> "
                + status);
    }

    private String describeBundle(long id) {
        Bundle b = context.getBundle(id);
        return b == null ? null : "bundle:" + b.getSymbolicName() + "@" + b.getVersion();
    }

    /** What the HTTP runtime let through: it answers a servlet's exception itself, so this is rare. */
    private static void failed(HttpServletRequest request, HttpServletResponse response, Exception e)
            throws IOException {
        if (GuardedResponse.unparsable(e)) {
            ErrorPage.write(request, response, 400, null);
            return;
        }
        String reference = UUID.randomUUID().toString();
        LOG.error("{} {} failed, reference {}", request.getMethod(), ErrorPage.path(request), reference, e);
        try {
            ErrorPage.write(request, response, 500, "The server could not complete the request. Quote reference "
                    + reference + " to the operator.");
        } catch (RuntimeException cannotWrite) {
            // never let it reach the container's own page, which prints stack traces
            LOG.debug("Could not write the error page for reference {}", reference, cannotWrite);
        }
    }

    static void headers(HttpServletRequest request, HttpServletResponse response, boolean console,
            boolean operatorPages) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        // same-origin: the CSRF check falls back on Referer, which other sites then never see
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", console ? CONSOLE_CSP : DEFAULT_CSP);
        if (operatorPages) {
            response.setHeader("Cache-Control", "no-store");
        }
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", HSTS);
        }
    }

    /**
     * Credentials a browser attaches by itself to a request another site makes it send. The CSC API's login
     * ({@value #CSC_LOGIN}) is the exception for HTTP Basic without a cookie: signing software sends Basic there by
     * specification and no {@code Origin}, and a forged login gains the other site nothing (the access token is in
     * the answer's body, which it cannot read).
     */
    static boolean browserCredentials(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (request.getHeader("Cookie") != null) {
            return true;
        }
        if (authorization == null || authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return !(authorization.regionMatches(true, 0, "Basic ", 0, 6) && CSC_LOGIN.equals(ErrorPage.path(request)));
    }

    /** The Cloud Signature Consortium API's login, where clients send HTTP Basic. */
    static final String CSC_LOGIN = "/csc/v2/auth/login";

    static boolean under(String path, String root) {
        return path.equals(root) || path.startsWith(root + "/");
    }

    private static String printable(String header) {
        if (header == null) {
            return "none";
        }
        String s = header.length() > 100 ? header.substring(0, 100) + "…" : header;
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public void init(jakarta.servlet.FilterConfig filterConfig) {
        initialised = true;
    }

    @Override
    public void destroy() {
        initialised = false;
    }

    /** Answers 503 "starting" to every request the guard would not see (see the class comment). */
    @Override
    public HttpConfiguration.Customizer createCustomizer() {
        return (connector, configuration, request) -> {
            if (!inFront()) {
                answerStarting(request);
            }
        };
    }

    private static void answerStarting(Request request) {
        try {
            HttpServletResponse response = request.getResponse();
            headers(request, response, false, false);
            response.setHeader("Retry-After", ErrorPage.STARTING_RETRY_AFTER);
            ErrorPage.write(request, response, 503, GuardedResponse.STARTING);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not answer a request while the HTTP runtime had no guard: {}", e.toString());
        }
        request.setHandled(true);
    }
}
