package io.cachet.order.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;

/** Configuration annotations with their default values, as SCR would hand them over with no configuration. */
final class Defaults {

    private Defaults() {
    }

    static CatalogueConfiguration catalogue() {
        return of(CatalogueConfiguration.class);
    }

    static OrdersConfiguration orders() {
        return of(OrdersConfiguration.class);
    }

    @SuppressWarnings("unchecked")
    static <A extends Annotation> A of(Class<A> type) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            return method.getDefaultValue();
        });
    }
}
