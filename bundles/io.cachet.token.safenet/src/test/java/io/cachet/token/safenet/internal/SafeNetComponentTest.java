package io.cachet.token.safenet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.cachet.api.token.TokenCapability;
import io.cachet.api.health.HealthIndicator;
import io.cachet.api.token.TokenDriver;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;

class SafeNetComponentTest {

    private final List<Object[]> registered = new ArrayList<>();

    private BundleContext context() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        registered.add(args);
                        return registration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static SafeNetConfiguration config(String library, String... model) {
        return new SafeNetConfiguration() {
            @Override
            public String library() {
                return library;
            }

            @Override
            public int poolSize() {
                return 1;
            }

            @Override
            public long borrowTimeoutMillis() {
                return 1000;
            }

            @Override
            public String[] modelCapabilities() {
                return model;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return SafeNetConfiguration.class;
            }
        };
    }

    @Test
    void aMissingLibraryRegistersNoDriverButAnUnhealthyCheckNamingIt() {
        SafeNetComponent component = new SafeNetComponent(context(), config("/opt/sac/libeTPkcs11.so"));
        assertNull(component.driver());
        assertEquals(1, registered.size());
        assertEquals(HealthIndicator.class, registered.get(0)[0]);
        HealthIndicator health = (HealthIndicator) registered.get(0)[1];
        assertEquals("driver.safenet", health.name());
        assertFalse(health.check().healthy());
        assertTrue(health.check().detail().contains("/opt/sac/libeTPkcs11.so"), health.check().detail());
        component.deactivate();
    }

    @Test
    void aFileThatIsNoPkcs11ModuleMakesTheDriverUnhealthy(@TempDir Path dir) throws Exception {
        Path broken = Files.writeString(dir.resolve("libeTPkcs11.so"), "not a shared library");
        SafeNetComponent component = new SafeNetComponent(context(), config(broken.toString()));
        try {
            assertNull(component.driver());
            HealthIndicator health = (HealthIndicator) registered.get(0)[1];
            assertFalse(health.check().healthy());
            assertTrue(health.check().detail().contains(broken.toString())
                    && health.check().detail().contains("cannot be used"), health.check().detail());
        } finally {
            component.deactivate();
        }
    }

    @Test
    void anUnknownModelCapabilityIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SafeNetComponent(context(), config("/opt/sac/libeTPkcs11.so", "WARP_DRIVE")));
        assertTrue(e.getMessage().contains("WARP_DRIVE"));
        assertThrows(IllegalArgumentException.class,
                () -> new SafeNetComponent(context(), config("/opt/sac/libeTPkcs11.so", "PIN_MUST_CHANGE")));
    }

    @Test
    void aPresentLibraryIsRegisteredAsSafenet() {
        SafeNetComponent component = new SafeNetComponent(context(), config(SoftHsmFixture.library(), "RSA_PSS"));
        try {
            assertEquals(2, registered.size());
            assertSame(component.driver(), registered.get(0)[1]);
            assertEquals("safenet", ((Dictionary<?, ?>) registered.get(0)[2]).get(TokenDriver.ID));
            assertTrue(component.driver().capabilities().contains(TokenCapability.RSA_PSS));
            HealthIndicator health = (HealthIndicator) registered.get(1)[1];
            assertTrue(health.check().healthy(), health.check().detail());
        } finally {
            component.deactivate();
        }
    }
}
