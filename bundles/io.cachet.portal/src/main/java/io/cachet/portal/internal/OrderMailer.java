package io.cachet.portal.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.link.IssuedLink;
import io.cachet.api.link.PersonalLink;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderListener;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Person;
import io.cachet.api.order.StatusAction;
import io.cachet.api.web.Pages;

/**
 * The e-mails of the customer's side, queued inside the order's transition (so they go if and only if it commits):
 * at submission each person gets a personal link to the order's status page (one person when the certificate
 * manager is also the legal representative); when the order is cancelled, rejected or expires, the links are revoked
 * and each person is told (with the reason of a cancellation or a rejection). Shortly before an open order expires,
 * {@link OrderReminders} has each person sent a fresh link and the deadline ({@link #sendReminder}).
 */
@Component(service = OrderListener.class, configurationPid = PortalSettings.PID)
public class OrderMailer implements OrderListener {

    static final String STATUS_PATH = "/order/status";
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final PersonalLinks links;
    private final Notifier notifier;
    private final Duration validity;

    @Activate
    public OrderMailer(@Reference PersonalLinks links, @Reference Notifier notifier, PortalConfiguration config,
            BundleContext context) {
        this(links, notifier, PortalSettings.of(config, context.getProperty("org.osgi.service.http.port"))
                .statusLinkValidity());
    }

    OrderMailer(PersonalLinks links, Notifier notifier, Duration validity) {
        this.links = links;
        this.notifier = notifier;
        this.validity = validity;
    }

    @Override
    public void transitioned(OrderEvent event, Order order) {
        OrderState to = event.to();
        if (event.from() == null || to == OrderState.VERIFICATION) {
            if (links.links(order.id()).stream().noneMatch(l -> l.purpose().equals(StatusAction.STATUS_LINK_PURPOSE))) {
                submitted(event, order);
            }
        } else if (to.ended()) {
            links.revokeAll(order.id(), event.actor());
            for (Recipient r : recipients(order)) {
                Map<String, Object> model = model(order, r);
                model.put("reason", order.reason() == null ? "" : order.reason());
                String state = to.name().toLowerCase(java.util.Locale.ROOT);
                notifier.send(Notification.email(r.person.email(), "portal.order." + state, order.language(), model)
                        .withBrand(order.brand())
                        .withIdempotencyKey("portal:" + order.id() + ":" + state + ":" + r.role.id()));
            }
        }
    }

    private void submitted(OrderEvent event, Order order) {
        for (Recipient r : recipients(order)) {
            IssuedLink link = links.issue(order.id(), r.role, StatusAction.STATUS_LINK_PURPOSE, r.person.email(),
                    STATUS_PATH, validity, event.actor());
            Map<String, Object> model = model(order, r);
            model.put("link", link.url());
            model.put("expires", DATE.format(link.link().expiresAt()));
            notifier.send(Notification.email(r.person.email(), "portal.order.submitted", order.language(), model)
                    .withBrand(order.brand()).withIdempotencyKey("portal:" + order.id() + ":submitted:" + r.role.id()));
        }
    }

    /**
     * Sends a fresh link made by {@link PersonalLinks#renew}, in the order's language and brand. Call it in the
     * transaction that renewed the link.
     */
    void sendRenewed(Order order, IssuedLink link) {
        PersonalLink l = link.link();
        Recipient r = new Recipient(l.role(), person(order, l.role()), order.request().managerIsLegalRepresentative());
        Map<String, Object> model = model(order, r);
        model.put("link", link.url());
        model.put("expires", DATE.format(l.expiresAt()));
        notifier.send(new Notification(io.cachet.api.notify.Channel.EMAIL, l.email(), "portal.order.link",
                order.language(), order.brand(), model, "portal:" + l.id() + ":renewed"));
    }

    /**
     * Sends a fresh link to the status page to each person of {@code order} ({@code only} one of them when given), at
     * the address the order holds, in its language and brand ({@code portal.order.link}): what support does for a
     * person who lost the e-mail. The fresh link revokes the one sent before. Call it in a transaction.
     *
     * @return the links sent, one per person (none when {@code only} is the legal representative of an order whose
     *         certificate manager holds both roles)
     */
    List<IssuedLink> resend(Order order, OrderRole only, String actor) {
        List<Recipient> to = recipients(order).stream().filter(r -> only == null || r.role == only).toList();
        List<IssuedLink> sent = new ArrayList<>();
        for (Recipient r : to) {
            IssuedLink link = links.issue(order.id(), r.role, StatusAction.STATUS_LINK_PURPOSE, r.person.email(),
                    STATUS_PATH, validity, actor);
            sendRenewed(order, link);
            sent.add(link);
        }
        return sent;
    }

    /**
     * Reminds each person of {@code order} that it expires at its deadline unless completed: a fresh link to the
     * status page (which revokes the one sent before: its page offers a new one) and the deadline, in the order's
     * language and brand. Call it in the transaction that records the reminder.
     *
     * @param days the reminder's threshold (days before the deadline), which tells its e-mail apart from another
     *        reminder's of the same order to the notifier's idempotency
     */
    void sendReminder(Order order, int days, String actor) {
        Instant deadline = order.deadline().orElseThrow(() -> new IllegalArgumentException(
                "order " + order.id() + " can no longer expire"));
        for (Recipient r : recipients(order)) {
            IssuedLink link = links.issue(order.id(), r.role, StatusAction.STATUS_LINK_PURPOSE, r.person.email(),
                    STATUS_PATH, validity, actor);
            Map<String, Object> model = model(order, r);
            model.put("link", link.url());
            model.put("expires", DATE.format(link.link().expiresAt()));
            model.put("deadline", Pages.time(deadline));
            notifier.send(Notification.email(r.person.email(), "portal.order.reminder", order.language(), model)
                    .withBrand(order.brand()).withIdempotencyKey("portal:" + order.id() + ":reminder:" + days + "d:" + r.role.id()));
        }
    }

    static Person person(Order order, OrderRole role) {
        return role == OrderRole.CERTIFICATE_MANAGER ? order.request().certificateManager()
                : order.request().effectiveLegalRepresentative();
    }

    private record Recipient(OrderRole role, Person person, boolean both) {
    }

    private static List<Recipient> recipients(Order order) {
        List<Recipient> out = new ArrayList<>();
        boolean same = order.request().managerIsLegalRepresentative();
        out.add(new Recipient(OrderRole.CERTIFICATE_MANAGER, order.request().certificateManager(), same));
        if (!same) {
            out.add(new Recipient(OrderRole.LEGAL_REPRESENTATIVE, order.request().legalRepresentative(), false));
        }
        return out;
    }

    private static Map<String, Object> model(Order order, Recipient r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.person.fullName());
        m.put("role", r.role.id());
        m.put("both", r.both);
        m.put("orderId", order.id());
        m.put("organisation", order.request().organisation() == null ? "" : order.request().organisation().name());
        m.put("validityYears", order.request().validityYears());
        m.put("medium", order.request().medium() == null ? "" : order.request().medium().id());
        return m;
    }
}
