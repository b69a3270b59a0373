package io.cachet.delivery.cloud.internal.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import io.cachet.api.health.HealthIndicator;
import io.cachet.api.signature.Level;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.signature.testing.Pdfs;
import io.cachet.store.testing.TestVaults;

/** The component as SCR builds it: its configuration checked, its references dynamic, its health. */
class ClickCertComponentTest {

    @TempDir
    Path dir;

    static ClickCertConfiguration config(Map<String, Object> values) {
        Map<String, Object> v = new HashMap<>(Map.of("maxUploadMegabytes", 20, "level", "LT", "historyDays", 30,
                "pendingMinutes", 60, "jobSeconds", 300));
        v.putAll(values);
        return (ClickCertConfiguration) Proxy.newProxyInstance(ClickCertComponentTest.class.getClassLoader(),
                new Class<?>[] { ClickCertConfiguration.class }, (p, m, args) -> switch (m.getName()) {
                    case "annotationType" -> ClickCertConfiguration.class;
                    case "hashCode" -> 1;
                    case "equals" -> p == args[0];
                    case "toString" -> "config";
                    default -> v.get(m.getName());
                });
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {
            BundleContext.class }, (p, m, args) -> m.getName().equals("getProperty") && "cachet.data".equals(args[0])
                    ? dir.resolve("data").toString() : null);
    }

    @Test
    void theConfigurationIsCheckedWithAClearMessage() {
        ClickCertSettings s = ClickCertSettings.of(config(Map.of("level", " lta ", "maxUploadMegabytes", 5)));
        assertEquals(Level.LTA, s.level());
        assertEquals(5L * 1024 * 1024, s.maxUploadBytes());
        assertEquals(5, s.maxUploadMegabytes());
        assertEquals(Duration.ofDays(30), s.history());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClickCertSettings.of(config(
                Map.of("level", "XL"))));
        assertEquals("io.cachet.delivery.cloud.clickcert: level must be B, T, LT or LTA, not 'XL'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClickCertSettings.of(config(Map.of("historyDays", 0))));
    }

    @Test
    void theComponentSignsOnceItsServicesAreThereAndSaysWhatItWaitsFor() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_1");
            ClickCertComponent c = new ClickCertComponent(context(), f.db.database(), f.audit,
                    TestVaults.embedded(dir), f.holders, config(Map.of("level", "B")));
            try {
                HealthIndicator health = new ClickCertHealth(c);
                assertEquals("clickcert", health.name());
                assertEquals(List.of("cloud keys", "order certificates", "signer"), c.missing());
                assertTrue(health.check().detail().contains("signing waits for: cloud keys"));
                HolderSession s = f.holders.login("h1");
                Document d = c.service().upload(s, "a.pdf", Files.readAllBytes(Pdfs.pages(dir.resolve("a.pdf"), 1)));
                ClickCertException e = assertThrows(ClickCertException.class, () -> c.service().sign(s, d.id(),
                        new ClickCertService.SignRequest("ord_1", Fixture.PASSWORD.toCharArray(), null, null, null,
                                null), null, "x"));
                assertEquals(ClickCertException.Kind.UNAVAILABLE, e.kind());

                c.keys = f.keys;
                c.certificates = f.keys;
                c.signer = Fixture.SIGNER;
                assertTrue(health.check().healthy());
                assertEquals("signing ready (PAdES-B)", health.check().detail());
                assertEquals("B", c.service().sign(s, d.id(), new ClickCertService.SignRequest("ord_1",
                        Fixture.PASSWORD.toCharArray(), null, null, d.sha256(), null), null, "x").level());

                c.modified(config(Map.of("level", "LT")));
                assertEquals(List.of("platform seal key (TSA)"), c.missing());
                assertThrows(IllegalArgumentException.class, () -> c.modified(config(Map.of("level", "Z"))));
                assertEquals(Level.LT, c.service().settings().level(), "a bad configuration changes nothing");
                assertFalse(Files.exists(dir.resolve("data/tmp/clickcert")) && Files.list(dir.resolve(
                        "data/tmp/clickcert")).findAny().isPresent(), "no file left behind");
            } finally {
                c.deactivate();
            }
        }
    }
}
