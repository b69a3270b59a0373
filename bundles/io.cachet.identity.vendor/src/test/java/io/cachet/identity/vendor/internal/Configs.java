package io.cachet.identity.vendor.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** A {@link VendorConfiguration} as Configuration Admin would give it: the annotation's defaults, then {@code set}. */
final class Configs {

    static final String API_KEY = "vk_test_0123456789";
    static final String SECRET = "whsec_current_0123456789abcdef";
    static final String PREVIOUS = "whsec_previous_fedcba9876543210";

    private Configs() {
    }

    static VendorConfiguration config(Map<String, Object> set) {
        Map<String, Object> values = new HashMap<>();
        values.put("baseUrl", "https://vendor.example/api");
        values.put("apiKey", API_KEY);
        values.put("webhookSecret", SECRET);
        values.putAll(set);
        return (VendorConfiguration) Proxy.newProxyInstance(VendorConfiguration.class.getClassLoader(),
                new Class<?>[] { VendorConfiguration.class }, (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    if (method.getName().equals("annotationType")) {
                        return VendorConfiguration.class;
                    }
                    if (method.getName().equals("toString")) {
                        return "config";
                    }
                    if (method.getName().equals("hashCode")) {
                        return 0;
                    }
                    throw new IllegalStateException("no value for " + method.getName());
                });
    }

    static VendorSettings settings(Map<String, Object> set) {
        return new VendorSettings(config(set), name -> null);
    }
}
