package io.cachet.token.softhsm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.cachet.api.health.HealthIndicator;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;

class SoftHsmComponentTest {

    /** What the component registered through its bundle context. */
    private final List<Object[]> registered = new ArrayList<>();
    private final AtomicBoolean unregistered = new AtomicBoolean();

    private BundleContext context() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unregister")) {
                        unregistered.set(true);
                    }
                    return null;
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        registered.add(args);
                        return registration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static SoftHsmConfiguration config(String library) {
        return new SoftHsmConfiguration() {
            @Override
            public String library() {
                return library;
            }

            @Override
            public int poolSize() {
                return 2;
            }

            @Override
            public long borrowTimeoutMillis() {
                return 1000;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return SoftHsmConfiguration.class;
            }
        };
    }

    @Test
    void aConfiguredButMissingModuleGivesNoDriverAndAnUnhealthyCheckNamingIt() {
        SoftHsmComponent component = new SoftHsmComponent(context(), config("/nowhere/libsofthsm2.so"));
        assertNull(component.driver());
        assertEquals(1, registered.size());
        assertEquals(HealthIndicator.class, registered.get(0)[0]);
        HealthIndicator health = (HealthIndicator) registered.get(0)[1];
        assertEquals("driver.softhsm", health.name());
        assertFalse(health.check().healthy());
        assertTrue(health.check().detail().contains("/nowhere/libsofthsm2.so"), health.check().detail());
        component.deactivate();
        assertTrue(unregistered.get(), "the check goes with the configuration");
    }

    @Test
    void aBrokenLibraryGivesNoDriverAndAnUnhealthyCheckNamingIt(@TempDir Path dir) throws Exception {
        Path broken = Files.writeString(dir.resolve("libsofthsm2.so"), "not a shared library");
        SoftHsmComponent component = new SoftHsmComponent(context(), config(broken.toString()));
        assertNull(component.driver());
        HealthIndicator health = (HealthIndicator) registered.get(0)[1];
        assertFalse(health.check().healthy());
        assertTrue(health.check().detail().contains(broken.toString())
                && health.check().detail().contains("cannot be used"), health.check().detail());
        component.deactivate();
    }

    @Test
    void withSoftHsmTheSofthsmDriverIsRegisteredAndClosedOnDeactivation() {
        SoftHsmComponent component = new SoftHsmComponent(context(), config(SoftHsmFixture.library()));
        assertNotNull(component.driver());
        assertEquals(2, registered.size());
        assertEquals(TokenDriver.class, registered.get(0)[0]);
        assertEquals(HealthIndicator.class, registered.get(1)[0]);
        HealthIndicator health = (HealthIndicator) registered.get(1)[1];
        assertTrue(health.check().healthy(), health.check().detail());
        assertSame(component.driver(), registered.get(0)[1]);
        assertEquals("softhsm", ((Dictionary<?, ?>) registered.get(0)[2]).get(TokenDriver.ID));
        assertTrue(component.driver().tokens().size() >= 1);
        component.deactivate();
        assertTrue(unregistered.get());
        assertEquals(Reason.CLOSED, assertThrows(TokenException.class, () -> component.driver().tokens()).reason());
        // a driver that stops answering is reported, naming it
        assertFalse(health.check().healthy());
        assertTrue(health.check().detail().contains("'softhsm' cannot list its slots"), health.check().detail());
    }
}
