package io.cachet.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.audit.AuditEvent;
import io.cachet.store.testing.TestDatabases;

class AuditComponentTest {

    @TempDir
    Path temp;

    static Stream<String> products() {
        return TestDatabases.products();
    }

    private static AuditConfiguration config(int intervalSeconds) {
        return new AuditConfiguration() {
            @Override
            public int anchorIntervalSeconds() {
                return intervalSeconds;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return AuditConfiguration.class;
            }
        };
    }

    private static AuditAnchorSigner named(String id) {
        return new AuditAnchorSigner() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public byte[] sign(byte[] statement) {
                return new byte[0];
            }

            @Override
            public boolean verify(byte[] statement, byte[] token) {
                return false;
            }
        };
    }

    private static Map.Entry<Map<String, Object>, AuditAnchorSigner> service(Integer ranking, long serviceId, String id) {
        Map<String, Object> properties = new HashMap<>();
        if (ranking != null) {
            properties.put("service.ranking", ranking);
        }
        properties.put("service.id", serviceId);
        return Map.entry(properties, named(id));
    }

    @Test
    void theHighestRankedSignerComesFirstThenTheOldest() {
        List<AuditAnchorSigner> ordered = AuditComponent.bestFirst(List.of(
                service(null, 1, "unranked"), service(0, 7, "local-newer"), service(100, 9, "tsa"),
                service(0, 3, "local-older"), service(-5, 2, "last")));
        assertEquals(List.of("tsa", "unranked", "local-older", "local-newer", "last"),
                ordered.stream().map(AuditAnchorSigner::id).toList());
        assertEquals(List.of(), AuditComponent.bestFirst(List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void deactivationAnchorsTheChangedHeadOnce(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            AuditComponent component = new AuditComponent(h.database(), config(3600));
            component.signers = List.of(Map.entry(Map.of(), new LocalAnchorSigner(temp.resolve("keys"))));
            component.append(AuditEvent.of("system", "test.stop", "", ""));
            component.deactivate();
            var v = component.verify();
            assertTrue(v.intact(), v.problems().toString());
            assertEquals(1, v.anchorsChecked());
            assertEquals(1, component.anchor().orElseThrow().sequence());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void intervalZeroDisablesAutomaticAnchoring(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            AuditComponent component = new AuditComponent(h.database(), config(0));
            component.signers = List.of(Map.entry(Map.of(), new LocalAnchorSigner(temp.resolve("keys"))));
            component.append(AuditEvent.of("system", "test.stop", "", ""));
            component.deactivate();
            assertEquals(0, component.verify().anchorsChecked());
        }
    }

    @Test
    void aNegativeIntervalIsRefusedWithThePidNamed() {
        try (var h = TestDatabases.open("h2", temp)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new AuditComponent(h.database(), config(-1)));
            assertTrue(e.getMessage().contains("io.cachet.audit"), e.getMessage());
        }
    }
}
