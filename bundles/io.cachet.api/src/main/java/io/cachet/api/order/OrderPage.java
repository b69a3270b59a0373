package io.cachet.api.order;

import java.util.List;

/**
 * @param orders the orders of the page, newest first
 * @param next the cursor of the following page, or null when this is the last
 */
public record OrderPage(List<Order> orders, String next) {
    public OrderPage {
        orders = List.copyOf(orders);
    }
}
