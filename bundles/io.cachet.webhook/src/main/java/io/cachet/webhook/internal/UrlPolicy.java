package io.cachet.webhook.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Which URLs a webhook may call. {@code https} only, with a host and no user info; {@code http} only to
 * {@code localhost}, {@code 127.0.0.1} or {@code [::1]} and only when {@code allowLocalhost} is set (tests, an
 * embedded deployment whose receiver runs on the same machine). Every address the host resolves to must be public:
 * loopback (unless allowed as above), private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 with
 * the cloud metadata services, fe80::/10), carrier-grade NAT (100.64/10), unspecified and multicast addresses are
 * refused — unless {@code allowPrivateNetworks} is set for a deployment whose resellers' receivers are on its own
 * network. The check runs when the URL is registered and again before every attempt (a name may be re-pointed).
 */
final class UrlPolicy {

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    /** Resolves a host name; a seam only so that tests can resolve names without DNS. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowLocalhost;
    private final boolean allowPrivateNetworks;
    private final Resolver resolver;

    UrlPolicy(boolean allowLocalhost, boolean allowPrivateNetworks, Resolver resolver) {
        this.allowLocalhost = allowLocalhost;
        this.allowPrivateNetworks = allowPrivateNetworks;
        this.resolver = resolver;
    }

    UrlPolicy(boolean allowLocalhost, boolean allowPrivateNetworks) {
        this(allowLocalhost, allowPrivateNetworks, InetAddress::getAllByName);
    }

    /**
     * @return the URL, normalised
     * @throws IllegalArgumentException naming the field {@code url} and what is wrong
     */
    URI check(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Field 'url' is required: the https address that receives the events.");
        }
        if (url.length() > 2000) {
            throw new IllegalArgumentException("Field 'url' has at most 2000 characters.");
        }
        URI uri;
        try {
            uri = new URI(url.strip()).normalize();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Field 'url' is not a URL: " + e.getReason() + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("Field 'url' must be an absolute https URL with a host, without user"
                    + " name, password or fragment.");
        }
        boolean local = LOCAL_HOSTS.contains(host);
        if (scheme.equals("http")) {
            if (!(local && allowLocalhost)) {
                throw new IllegalArgumentException("Field 'url' must use https" + (local
                        ? " (http to this machine is allowed only with allowLocalhost in configuration io.cachet.webhook)."
                        : "."));
            }
        } else if (!scheme.equals("https")) {
            throw new IllegalArgumentException("Field 'url' must use https.");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Field 'url': the host " + host + " does not resolve.");
        }
        for (InetAddress a : addresses) {
            if (a.isLoopbackAddress() && local && allowLocalhost) {
                continue;
            }
            if (!allowPrivateNetworks && !isPublic(a)) {
                throw new IllegalArgumentException("Field 'url': the host " + host + " is on a private, loopback or"
                        + " link-local network (" + a.getHostAddress() + "); webhooks call public addresses only.");
            }
        }
        return uri;
    }

    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            boolean mapped = true; // ::ffff:a.b.c.d is the IPv4 address
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] { b[12], b[13], b[14], b[15] }));
                } catch (UnknownHostException impossible) {
                    return false;
                }
            }
            return true;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return !(first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240
                || (first == 192 && second == 0 && (b[2] & 0xff) == 0));
    }
}
