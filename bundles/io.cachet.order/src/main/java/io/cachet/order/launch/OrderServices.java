package io.cachet.order.launch;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderListener;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Product;
import io.cachet.api.store.Database;
import io.cachet.order.internal.OrderService;

/** The order service on a database, outside OSGi (its tables migrated on opening). */
public final class OrderServices {

    private OrderServices() {
    }

    /**
     * @param checks the installed order checks, asked at each transition (the whiteboard inside OSGi)
     * @param listeners the installed order listeners, called inside each transition's transaction
     * @param activeBrand the brand of orders submitted without one
     * @param expiry how long an order may stay open
     */
    public static Orders open(Database database, AuditLog audit, Supplier<List<Product>> catalogue,
            Supplier<? extends Collection<OrderCheck>> checks, Supplier<? extends Collection<OrderListener>> listeners,
            Supplier<String> activeBrand, Clock clock, Duration expiry) {
        return new OrderService(database, audit, catalogue, checks, listeners, activeBrand, clock, expiry);
    }
}
