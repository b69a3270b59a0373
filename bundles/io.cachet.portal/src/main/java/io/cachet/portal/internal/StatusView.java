package io.cachet.portal.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cachet.api.order.CheckState;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.Person;
import io.cachet.api.web.Pages;

/**
 * What an order's status page tells one person, in plain words: what has been done, what this person must do
 * next, and what Cachet (or the other person) is waiting for. Derived from the order's state, its transitions and
 * the checks of its current state. Only the order's own data, and of the other person only the name.
 *
 * <p><b>Extension point: messages by check kind.</b> A check's kind {@code <base>} or {@code <base>.<role>} (e.g.
 * {@code identity.certificate-manager}, {@code organisation}) is read as follows: {@code portal.check.<base>}
 * names it ("identity check"); when {@code portal.todo.<base>} exists, it is something a person does (the person
 * of its role, or both persons when it names no role) and that message tells them how; otherwise the page says
 * Cachet is working on it. A module or brand that adds a check adds these keys to its messages; a kind without
 * them is shown by its kind and its detail. Plain Java; stateless.
 */
final class StatusView {

    /** Messages in the page's language. */
    interface Messages {
        boolean has(String key);

        String text(String key, Object... args);
    }

    private StatusView() {
    }

    static Map<String, Object> model(Order order, List<OrderEvent> events, OrderRole viewer, Messages m) {
        boolean same = order.request().managerIsLegalRepresentative();
        Set<OrderRole> mine = same ? EnumSet.allOf(OrderRole.class) : EnumSet.of(viewer);
        Person me = OrderMailer.person(order, viewer);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("orderId", order.id());
        model.put("state", order.state().name());
        model.put("stateName", m.text("portal.state." + order.state().name()));
        model.put("stateHelp", m.text("portal.state." + order.state().name() + ".help"));
        model.put("ended", order.state().ended());
        model.put("reason", order.reason() == null ? "" : order.reason());
        model.put("name", me.fullName());
        model.put("role", m.text(same ? "portal.role.both" : "portal.role." + viewer.id()));
        if (!same) {
            OrderRole otherRole = viewer == OrderRole.CERTIFICATE_MANAGER ? OrderRole.LEGAL_REPRESENTATIVE
                    : OrderRole.CERTIFICATE_MANAGER;
            model.put("other", m.text("portal.status.other", OrderMailer.person(order, otherRole).fullName(),
                    m.text("portal.role." + otherRole.id())));
        } else {
            model.put("other", "");
        }
        model.put("organisation", order.request().organisation() == null ? "" : order.request().organisation().name());
        model.put("product", m.text("portal.status.product", order.request().validityYears(),
                m.text("portal.medium." + (order.request().medium() == null ? "cloud" : order.request().medium().id()))));
        model.put("created", Pages.time(order.createdAt()));
        // while the customer's part is under way the order expires at its time: say by when, not only that it did
        model.put("deadline", order.deadline().map(t -> m.text("portal.status.deadline", Pages.time(t))).orElse(""));

        List<Map<String, String>> done = new ArrayList<>();
        for (OrderEvent e : events) {
            String key = "portal.event." + e.to().name();
            Map<String, String> line = new LinkedHashMap<>();
            line.put("at", Pages.time(e.at()));
            line.put("text", m.has(key) ? m.text(key) : e.to().name());
            line.put("reason", e.to().ended() && e.reason() != null ? e.reason() : "");
            done.add(line);
        }
        for (CheckState c : order.checks()) {
            if (c.status() == CheckStatus.PASSED) {
                Map<String, String> line = new LinkedHashMap<>();
                line.put("at", Pages.time(c.updatedAt()));
                line.put("text", m.text("portal.done.check", label(c.kind(), m)));
                line.put("reason", "");
                done.add(line);
            }
        }
        done.sort((a, b) -> a.get("at").compareTo(b.get("at")));
        model.put("done", done);

        List<String> todo = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        if (order.state().open()) {
            for (CheckState c : order.checks()) {
                if (c.state() != order.state() || c.status() == CheckStatus.PASSED) {
                    continue;
                }
                OrderRole owner = null;
                String base = c.kind();
                for (OrderRole r : OrderRole.values()) {
                    if (c.kind().endsWith("." + r.id())) {
                        owner = r;
                        base = c.kind().substring(0, c.kind().length() - r.id().length() - 1);
                    }
                }
                String detail = c.detail() == null || c.detail().isBlank() ? "" : " (" + c.detail() + ")";
                boolean action = m.has("portal.todo." + base);
                String label = label(c.kind(), m);
                if (action && (owner == null || mine.contains(owner))) {
                    todo.add(m.text(c.status() == CheckStatus.FAILED ? "portal.todo.again" : "portal.todo." + base,
                            label) + detail);
                } else if (owner != null && !mine.contains(owner)) {
                    waiting.add(m.text("portal.waiting.person", OrderMailer.person(order, owner).fullName(), label)
                            + detail);
                } else {
                    waiting.add(m.text("portal.waiting.cachet", label) + detail);
                }
            }
            if (todo.isEmpty() && waiting.isEmpty()) {
                waiting.add(m.text("portal.waiting.state." + order.state().name()));
            }
        }
        model.put("todo", todo);
        model.put("waiting", waiting);
        return model;
    }

    /** A check's name: {@code portal.check.<base>} when known, else its kind. */
    static String label(String kind, Messages m) {
        String base = kind;
        for (OrderRole r : OrderRole.values()) {
            if (kind.endsWith("." + r.id())) {
                base = kind.substring(0, kind.length() - r.id().length() - 1);
            }
        }
        return m.has("portal.check." + base) ? m.text("portal.check." + base) : kind;
    }
}
