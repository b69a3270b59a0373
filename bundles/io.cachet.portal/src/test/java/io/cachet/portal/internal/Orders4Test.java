package io.cachet.portal.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.cachet.api.order.CheckState;
import io.cachet.api.order.Delivery;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Organisation;
import io.cachet.api.order.Person;
import io.cachet.api.order.PostalAddress;
import io.cachet.api.order.Price;
import io.cachet.api.order.Product;

/** Orders as the order service stores them, for the portal's tests (values of the example). */
final class Orders4Test {

    static final Person ANNA = new Person("Anna Maria", "Eriksson", LocalDate.parse("1974-08-12"), "anna@example.org",
            "+33612345678");
    static final Person BOB = new Person("Bob", "Martin", LocalDate.parse("1968-02-03"), "bob@example.org",
            "+33698765432");
    static final Organisation ACME = new Organisation("ACME SAS", "FR", "552100554", "FR96552100554",
            new PostalAddress(List.of("1 rue de la Paix"), "75002", "Paris", "FR"));
    static final Product PRODUCT = new Product("enterprise-plus", Map.of("fr", "Enterprise+", "en", "Enterprise+"),
            List.of(1, 2, 3), List.of(Medium.USB_A, Medium.USB_C, Medium.CLOUD),
            List.of(new Price(1, Medium.CLOUD, new BigDecimal("290.00"), "EUR")));

    private Orders4Test() {
    }

    static Order order(String id, OrderState state, boolean same, List<CheckState> checks, String reason) {
        OrderRequest r = new OrderRequest("enterprise-plus", 2, Medium.USB_C, ANNA, same ? null : BOB, ACME,
                new Delivery("Anna Maria Eriksson", new PostalAddress(List.of("2 rue X"), "75001", "Paris", "FR")));
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        return new Order(id, state, r, null, "default", "en", t, t, t.plusSeconds(30 * 86400), reason, checks, 1);
    }
}
