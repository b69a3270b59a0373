package io.cachet.portal.internal;

import java.util.List;
import java.util.Objects;

import io.cachet.api.link.IssuedLink;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.Orders;
import io.cachet.api.store.Database;

/**
 * Support's (or the order's reseller's) sending of a fresh status link to a person who lost the order's e-mail, as
 * the API ({@link StatusLinksResource}) and the console ({@link StatusLinksConsoleServlet}) offer it: the order read, its
 * state checked, the links issued and their e-mails queued in one transaction ({@link OrderMailer#resend}). Plain
 * Java; thread-safe.
 */
final class StatusLinks {

    /** Why nothing was sent. */
    enum Refusal { NO_ORDER, ENDED, NOT_APART }

    /** Nothing was sent, for {@link #why}; {@link #order} when there is one. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Refusal why;
        final transient Order order;

        Refused(Refusal why, Order order) {
            super(why.name());
            this.why = why;
            this.order = order;
        }
    }

    private final Database database;
    private final Orders orders;
    private final OrderMailer mailer;

    StatusLinks(Database database, Orders orders, OrderMailer mailer) {
        this.database = Objects.requireNonNull(database);
        this.orders = Objects.requireNonNull(orders);
        this.mailer = Objects.requireNonNull(mailer);
    }

    /**
     * Sends each person of the order ({@code only} one when given) a fresh status link.
     *
     * @param reseller the reseller the caller acts for, whose orders alone it may reach; null for the platform's
     *        staff
     * @return the links sent
     * @throws Refused when there is no such order (or it is not {@code reseller}'s), it has ended, or {@code only}
     *         is the legal representative of an order whose certificate manager holds both roles
     */
    List<IssuedLink> send(String orderId, OrderRole only, String actor, String reseller) {
        return database.inTransaction(c -> {
            Order order = orders.find(orderId).filter(o -> reseller == null || reseller.equals(o.reseller()))
                    .orElseThrow(() -> new Refused(Refusal.NO_ORDER, null));
            if (order.state().ended()) {
                throw new Refused(Refusal.ENDED, order);
            }
            if (only == OrderRole.LEGAL_REPRESENTATIVE && order.request().managerIsLegalRepresentative()) {
                throw new Refused(Refusal.NOT_APART, order);
            }
            return mailer.resend(order, only, actor);
        });
    }
}
