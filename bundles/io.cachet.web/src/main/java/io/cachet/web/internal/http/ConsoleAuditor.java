package io.cachet.web.internal.http;

import java.util.function.Function;
import java.util.function.LongFunction;

import org.osgi.service.servlet.context.ServletContextHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;

/**
 * Records who changed what through the Web Console. The audit bundle records configuration and bundle events
 * too, but as {@code system}: ConfigAdmin and the framework deliver them later, on their own threads, with no
 * trace of the request. Here the request is at hand: once the console accepted a state-changing request of an
 * authenticated operator, one record names the operator ({@code operator:<login>}), what was done and to what
 * (a configuration PID, a bundle).
 */
final class ConsoleAuditor {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAuditor.class);

    /** What a console request did; {@code subject} names the PID or bundle. */
    record Action(String action, String subject) {
    }

    private ConsoleAuditor() {
    }

    /**
     * What a state-changing request to the console did, from its path under the console root, its parameters
     * (read after the console handled it) and the bundle its path names (looked up before, so that an
     * uninstalled bundle keeps its name).
     */
    static Action classify(String path, Function<String, String> parameter, String bundleBefore) {
        String[] parts = path.replaceFirst("^/+", "").split("/", 3);
        String plugin = parts[0];
        String rest = parts.length > 1 ? path.substring(path.indexOf('/', 1) + 1) : "";
        switch (plugin) {
            case "configMgr" -> {
                if (!rest.isEmpty()) {
                    String pid = rest;
                    boolean delete = parameter.apply("delete") != null;
                    String factory = parameter.apply("factoryPid");
                    return new Action(delete ? "console.configuration.deleted" : "console.configuration.updated",
                            "pid:" + pid + (factory == null || factory.isEmpty() || factory.equals(pid) ? ""
                                    : " factory:" + factory));
                }
            }
            case "bundles", "install" -> {
                if (plugin.equals("install") || rest.equals("install") || rest.isEmpty()
                        && "install".equals(parameter.apply("action"))) {
                    // the console installs on a thread of its own, after answering: the bundle is named by the
                    // system's bundle.installed record that follows
                    return new Action("console.bundle.installed", "");
                }
                String action = parameter.apply("action");
                if (bundleBefore != null && action != null && action.matches("[a-zA-Z]{1,20}")) {
                    return new Action("console.bundle." + action.toLowerCase(java.util.Locale.ROOT), bundleBefore);
                }
            }
            default -> {
                // falls through to the generic record below
            }
        }
        return new Action("console.request", "console:/" + path.replaceFirst("^/+", ""));
    }

    /** The bundle a {@code bundles/<id>} path names, as {@code bundle:<bsn>@<version>}, or null. */
    static String bundleOf(String path, LongFunction<String> describe) {
        String[] parts = path.replaceFirst("^/+", "").split("/");
        if (parts.length >= 2 && parts[0].equals("bundles") && parts[1].matches("\\d{1,18}")) {
            return describe.apply(Long.parseLong(parts[1]));
        }
        return null;
    }

    /** The operator the console's security provider authenticated for this request, or null. */
    static String operator(HttpServletRequest request) {
        Object user = request.getAttribute(ServletContextHelper.REMOTE_USER);
        return user instanceof String login && !login.isBlank() ? login : null;
    }

    static void record(AuditLog audit, String login, Action action, String details) {
        if (audit == null) {
            LOG.error("No audit log: {} by operator {} on {} is not recorded", action.action(), login,
                    action.subject());
            return;
        }
        try {
            audit.append(AuditEvent.of("operator:" + login, action.action(), action.subject(), details));
        } catch (RuntimeException e) {
            // the console has already made the change; the missing record must at least be visible
            LOG.error("Could not audit {} by operator {} on {}: {}", action.action(), login, action.subject(),
                    e.getMessage());
        }
    }
}
