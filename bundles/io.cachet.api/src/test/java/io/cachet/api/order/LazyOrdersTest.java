package io.cachet.api.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

class LazyOrdersTest {

    /** DS's view of one reference: counts gets and releases, as the framework's use count would. */
    static final class Objects implements ComponentServiceObjects<Orders> {
        final Orders service;
        final AtomicInteger gets = new AtomicInteger();
        final AtomicInteger releases = new AtomicInteger();

        Objects(Orders service) {
            this.service = service;
        }

        @Override
        public Orders getService() {
            gets.incrementAndGet();
            return service;
        }

        @Override
        public void ungetService(Orders s) {
            releases.incrementAndGet();
        }

        @Override
        public ServiceReference<Orders> getServiceReference() {
            return null;
        }
    }

    private static Orders orders() {
        return (Orders) Proxy.newProxyInstance(Orders.class.getClassLoader(), new Class<?>[] { Orders.class },
                (proxy, method, args) -> method.getName().equals("toString") ? "orders" : null);
    }

    @Test
    void theServiceIsGotOncePerReferenceAndNeverReleasedBetweenCalls() throws Exception {
        LazyOrders lazy = new LazyOrders();
        Objects first = new Objects(orders());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Orders>> got = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                got.add(pool.submit(() -> lazy.from(first)));
            }
            for (Future<Orders> f : got) {
                assertSame(first.service, f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, first.gets.get());
        assertEquals(0, first.releases.get(), "released by SCR when the reference goes, not by each call");

        Objects second = new Objects(orders());
        assertSame(second.service, lazy.from(second));
        assertSame(second.service, lazy.from(second));
        assertEquals(1, second.gets.get());
    }

    @Test
    void noReferenceOrAServiceGoingAwayGivesNone() {
        LazyOrders lazy = new LazyOrders();
        assertNull(lazy.from(null));
        Objects going = new Objects(null);
        assertNull(lazy.from(going));
        assertNull(lazy.from(going));
        assertEquals(2, going.gets.get(), "asked again: a service that comes back is found");
    }
}
