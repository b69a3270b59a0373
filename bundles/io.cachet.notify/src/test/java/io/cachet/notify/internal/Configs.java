package io.cachet.notify.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A component property type (annotation) with the given values and the annotation's defaults, as SCR makes it. */
final class Configs {
    private Configs() {
    }

    static <A> A of(Class<A> type, Map<String, ?> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            return switch (method.getName()) {
                case "annotationType" -> type;
                case "toString" -> type.getSimpleName() + values.keySet();
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new IllegalStateException("no value for " + method.getName());
            };
        }));
    }
}
