package io.cachet.api.link;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.order.OrderRole;

/**
 * Makes and opens personal links. One live link per order, person and purpose: issuing one revokes the previous
 * one. Tokens are stored hashed; opening compares in constant time. Thread-safe. Issuing joins the caller's
 * database transaction, so a link and the e-mail that carries it commit together.
 */
@ProviderType
public interface PersonalLinks {

    /**
     * The token of a link's URL, {@code <base><path>/<token>}, from the servlet's path info ({@code /<token>}, a
     * trailing slash allowed); empty when there is none or it cannot be a token (letters, digits, {@code -} and
     * {@code _}, at most 100), so that the page answers as for an unknown link without looking it up.
     *
     * @since 1.1
     */
    static String tokenIn(String pathInfo) {
        if (pathInfo == null || pathInfo.length() < 2 || pathInfo.charAt(0) != '/') {
            return "";
        }
        String t = pathInfo.substring(1);
        t = t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
        return t.matches("[A-Za-z0-9_-]{1,100}") ? t : "";
    }

    /**
     * Issues a link and revokes the previous live one of the same order, role and purpose.
     *
     * @param path the page it opens, e.g. {@code /order/status}; the URL is {@code <base><path>/<token>}
     * @param validity how long it opens
     */
    IssuedLink issue(String orderId, OrderRole role, String purpose, String email, String path, Duration validity,
            String actor);

    /** What opening a token found. */
    enum Outcome { VALID, EXPIRED, REVOKED, UNKNOWN }

    /**
     * @param link the link, present unless {@code UNKNOWN} (the page of an expired link offers a fresh one to the
     *        same address, without showing the order)
     */
    record Opened(Outcome outcome, PersonalLink link) {
    }

    /**
     * Opens a token for {@code purpose} (a token of another purpose is {@code UNKNOWN}); a valid one is marked used.
     */
    Opened open(String token, String purpose);

    /**
     * Issues a fresh link to the same person, address, purpose and path as the (expired or revoked) link
     * {@code linkId}, unless the order has ended.
     *
     * @return the new link, or empty when none may be sent
     */
    Optional<IssuedLink> renew(String linkId, Duration validity, String actor);

    /** Revokes every live link of the order (e.g. when it is cancelled or rejected). */
    void revokeAll(String orderId, String actor);

    /** @return the order's links, newest first, for operators */
    List<PersonalLink> links(String orderId);
}
