package io.cachet.console.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.ConsolePage;

/**
 * The console's navigation: the {@link ConsolePage} entries registered now (they come and go with their bundles),
 * cut to what an operator's roles allow, by rank. Thread-safe.
 */
final class Navigation {

    /** An entry as shown: {@code current} when the request's path is the entry's page or a page under it. */
    record Entry(String path, String titleKey, String namespace, boolean current) {
    }

    private static final Comparator<ConsolePage> ORDER = Comparator.comparingInt(ConsolePage::rank)
            .thenComparing(ConsolePage::path);

    private final List<ConsolePage> pages = new CopyOnWriteArrayList<>();

    void add(ConsolePage page) {
        pages.add(page);
    }

    void remove(ConsolePage page) {
        pages.remove(page);
    }

    /**
     * The entries an operator with {@code roles} sees, smallest rank first; the one whose path is the longest
     * prefix of {@code requestPath} (at a {@code /}) is current ({@link #current}: the home entry only on itself). An entry with a path outside {@code /console} is
     * left out: the navigation never sends an operator elsewhere.
     */
    List<Entry> entries(Set<String> roles, String requestPath) {
        List<ConsolePage> visible = new ArrayList<>();
        for (ConsolePage p : pages) {
            if (allowed(p, roles)) {
                visible.add(p);
            }
        }
        visible.sort(ORDER);
        String current = null;
        for (ConsolePage p : visible) {
            if (current(requestPath, p.path()) && (current == null || p.path().length() > current.length())) {
                current = p.path();
            }
        }
        List<Entry> entries = new ArrayList<>(visible.size());
        for (ConsolePage p : visible) {
            entries.add(new Entry(p.path(), p.titleKey(), p.namespace(), p.path().equals(current)));
        }
        return entries;
    }

    static boolean allowed(ConsolePage page, Set<String> roles) {
        String path = page.path();
        if (path == null || !(path.equals("/console") || path.startsWith("/console/")) || page.titleKey() == null) {
            return false;
        }
        Set<String> needed = page.roles();
        if (needed == null || needed.isEmpty()) {
            return true;
        }
        for (String r : needed) {
            if (roles.contains(r)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a page at {@code requestPath} belongs to the entry at {@code pagePath}: the entry's page itself or a page
     * under it, but the home page only itself (every console page is under it; a page under no other entry, such as
     * the password change, belongs to none).
     */
    static boolean current(String requestPath, String pagePath) {
        return pagePath.equals(ConsoleAccess.HOME) ? ConsoleAccess.HOME.equals(trimmed(requestPath))
                : under(requestPath, pagePath);
    }

    private static String trimmed(String path) {
        return path != null && path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    static boolean under(String requestPath, String pagePath) {
        if (requestPath == null) {
            return false;
        }
        String p = requestPath.length() > 1 && requestPath.endsWith("/")
                ? requestPath.substring(0, requestPath.length() - 1) : requestPath;
        return p.equals(pagePath) || p.startsWith(pagePath + "/");
    }
}
