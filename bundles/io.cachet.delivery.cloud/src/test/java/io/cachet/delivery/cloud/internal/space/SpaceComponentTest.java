package io.cachet.delivery.cloud.internal.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.health.HealthIndicator;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;
import io.cachet.web.testing.RecordingNotifier;

/** The component as SCR builds it: the metatype defaults, its configuration checked, its health, no orders yet. */
class SpaceComponentTest {

    @TempDir
    Path dir;

    /** The configuration with the metatype's defaults, some values replaced. */
    static SpaceConfiguration config(Map<String, Object> values) {
        Map<String, Object> v = new HashMap<>(values);
        return (SpaceConfiguration) Proxy.newProxyInstance(SpaceComponentTest.class.getClassLoader(),
                new Class<?>[] { SpaceConfiguration.class }, (p, m, args) -> switch (m.getName()) {
                    case "annotationType" -> SpaceConfiguration.class;
                    case "hashCode" -> 1;
                    case "equals" -> p == args[0];
                    case "toString" -> "config";
                    default -> v.containsKey(m.getName()) ? v.get(m.getName()) : m.getDefaultValue();
                });
    }

    private static BundleContext context(String port) {
        return (BundleContext) Proxy.newProxyInstance(SpaceComponentTest.class.getClassLoader(),
                new Class<?>[] { BundleContext.class }, (p, m, args) -> m.getName().equals("getProperty")
                        && "org.osgi.service.http.port".equals(args[0]) ? port : null);
    }

    @Test
    void theConfigurationIsCheckedWithAClearMessage() {
        SpaceSettings d = SpaceSettings.of(config(Map.of()), "8181");
        assertEquals(SpaceSettings.defaults("http://localhost:8181"), d, "the metatype's defaults are the defaults");
        assertEquals("localhost", d.host());
        assertEquals("http://localhost:8181", d.origin());
        SpaceSettings s = SpaceSettings.of(config(Map.of("publicBaseUrl", " https://cachet.example.fr/ ",
                "idleMinutes", 0, "linkHours", 100_000)), null);
        assertEquals("https://cachet.example.fr", s.baseUrl());
        assertEquals("https://cachet.example.fr", s.origin());
        assertEquals(Duration.ofMinutes(1), s.idle(), "clamped");
        assertEquals(Duration.ofHours(720), s.linkValidity(), "clamped");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpaceSettings.of(config(
                Map.of("publicBaseUrl", "ftp://cachet.example.fr")), null));
        assertTrue(e.getMessage().startsWith("publicBaseUrl of configuration PID io.cachet.delivery.cloud.space must"
                + " be an http:// or https:// URL"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpaceSettings.of(config(Map.of("publicBaseUrl",
                "https://x.example/?a=b")), null));
    }

    @Test
    void theComponentStartsOnAFreshDatabaseAndSaysHowItStands() {
        try (TestDatabases.Handle db = TestDatabases.open("h2", dir)) {
            RecordingNotifier mail = new RecordingNotifier();
            SpaceComponent c = new SpaceComponent(db.database(), AuditLogs.open(db.database(), List.of()),
                    TestVaults.embedded(dir), mail, config(Map.of()), context("8181"));
            try {
                HealthIndicator health = new SpaceHealth(c);
                assertEquals("cloud-space", health.name());
                assertTrue(health.check().healthy());
                assertEquals("links to http://localhost:8181; spaces open at DELIVERY", health.check().detail());
                assertTrue(c.holder("nobody").isEmpty());
                assertTrue(c.orderIds("nobody").isEmpty());
                assertEquals(DeliveryException.Kind.UNAVAILABLE, assertThrows(DeliveryException.class,
                        () -> c.service().open("ord_1", "op")).kind(), "without the order service");
                assertEquals(0, c.service().reportDue(null));

                c.modified(config(Map.of("autoOpen", false, "publicBaseUrl", "https://cachet.example.fr")));
                assertEquals("links to https://cachet.example.fr; spaces opened by operators", health.check()
                        .detail());
                assertThrows(IllegalArgumentException.class, () -> c.modified(config(Map.of("publicBaseUrl",
                        "not a url"))));
                assertEquals("https://cachet.example.fr", c.settings().baseUrl(), "a bad configuration changes"
                        + " nothing");
                assertFalse(c.settings().autoOpen());

                SpaceComponent again = new SpaceComponent(db.database(), AuditLogs.open(db.database(), List.of()),
                        TestVaults.embedded(dir), mail, config(Map.of()), context("8181"));
                byte[] k1 = c.formKey();
                byte[] k2 = again.formKey();
                assertTrue(java.util.Arrays.equals(k1, k2), "one form key per deployment, kept sealed");
                again.deactivate();
            } finally {
                c.deactivate();
            }
        }
    }
}
