package io.cachet.web.internal.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Whether a request comes from a page of this server: its {@code Origin} (or, when a browser sends none, its
 * {@code Referer}) names the request's own scheme, host and port. Browsers set both and scripts of other
 * sites cannot forge them; a request with neither, or with {@code Origin: null}, is not trusted.
 */
final class SameOrigin {

    private SameOrigin() {
    }

    static boolean check(HttpServletRequest request) {
        String source = request.getHeader("Origin");
        if (source == null || source.isBlank()) {
            source = request.getHeader("Referer");
        }
        if (source == null || source.isBlank() || source.strip().equals("null")) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(source.strip());
        } catch (URISyntaxException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null || request.getScheme() == null
                || request.getServerName() == null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
        return scheme.equals(request.getScheme().toLowerCase(Locale.ROOT))
                && host(uri.getHost()).equals(host(request.getServerName()))
                && port == request.getServerPort();
    }

    private static String host(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }
}
