package io.cachet.api.web;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import io.cachet.api.operator.Operator;
import io.cachet.api.order.Order;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Something an operator can do about an order, offered on the order console's page of that order by the bundle that
 * does it (whiteboard: register it as an OSGi service), e.g. "Send the status link again" from the customer portal.
 * The order console shows the links the actions answer, highest service ranking first, each action's in its order; the page a link opens is
 * the contributor's own servlet under {@code /console/}, which checks access with {@link ConsoleAccess} on every
 * request. Neither knows the other.
 *
 * <p>Called on the page's request thread: quick (no remote calls), thread-safe, and must not fail; an exception is
 * logged and the action left out.
 *
 * @since 1.4
 */
@ConsumerType
public interface ConsoleOrderAction {

    /**
     * @param order the order of the page
     * @param operator who is looking at it (an action their roles do not allow is not offered)
     * @param request the page's request, for its messages ({@link Pages#message}: language and brand)
     * @return the links to show (e.g. one per person of the order), empty when this action does not apply now (the
     *         order's state, the roles)
     */
    List<Link> actions(Order order, Operator operator, HttpServletRequest request);

    /**
     * The navigation entry an action's page belongs to, the orders': the page sets it as the request attribute
     * {@value ConsoleAccess#SECTION_ATTRIBUTE} before asking for {@link ConsoleAccess#shell}, so that the console's
     * menu shows the operator where they are.
     */
    String SECTION = ConsoleAccess.HOME + "/orders";

    /**
     * The order id of an action's page whose path is {@code <page>/<order id>}: from the servlet's path info
     * ({@code /<order id>}, a trailing slash allowed); empty when there is none or it cannot be an order id.
     */
    static String orderIdIn(String pathInfo) {
        if (pathInfo == null || !pathInfo.matches("/[A-Za-z0-9_-]{1,40}/?")) {
            return "";
        }
        return pathInfo.substring(1).replace("/", "");
    }

    /** The address of the order console's page of {@code orderId} (the list when it is empty), for a "back" link. */
    static String orderPage(HttpServletRequest request, String orderId) {
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        return context + SECTION + (orderId == null || orderId.isEmpty() ? "" : "/" + orderId);
    }

    /**
     * @param label the link's text (plain text; the console escapes it)
     * @param path the page it opens, under {@code /console/}, without the context path
     * @param hint one sentence shown with the link, or empty
     */
    record Link(String label, String path, String hint) {
        public Link {
            if (path == null || !path.startsWith(ConsoleAccess.HOME + "/")) {
                throw new IllegalArgumentException("an order action opens a console page: " + path);
            }
        }
    }
}
