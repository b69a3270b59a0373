package io.cachet.delivery.cloud.internal.csc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;

/**
 * The component as the framework makes it: its configuration (metatype defaults, then a change), the migrations on a
 * fresh database, and the CSC API answering while the optional services are missing.
 */
class CscComponentTest {

    @TempDir
    Path dir;

    private static CscConfiguration config(Map<String, Object> values) {
        return (CscConfiguration) Proxy.newProxyInstance(CscComponentTest.class.getClassLoader(),
                new Class<?>[] { CscConfiguration.class }, (p, m, args) -> switch (m.getName()) {
                    case "annotationType" -> CscConfiguration.class;
                    case "hashCode" -> 0;
                    case "equals" -> p == args[0];
                    case "toString" -> "config";
                    default -> values.getOrDefault(m.getName(), m.getDefaultValue());
                });
    }

    @Test
    void activatesOnAFreshDatabaseAndFollowsItsConfiguration() throws Exception {
        try (TestDatabases.Handle db = TestDatabases.open("h2", dir)) {
            CscComponent component = new CscComponent(db.database(), AuditLogs.open(db.database(), List.of()),
                    new CscFixture.Holders(), config(Map.of()));
            try {
                CscApi.Answer info = component.api().handle(new CscApi.Call("POST", "info", null, null, "c"));
                JsonNode json = new ObjectMapper().readTree(info.body());
                assertEquals("Cachet", json.get("name").asText());
                assertEquals("en", json.get("lang").asText());

                component.modified(config(Map.of("name", "Trust Provider", "lang", "fr")));
                json = new ObjectMapper().readTree(component.api().handle(new CscApi.Call("POST", "info", null,
                        "{}".getBytes(StandardCharsets.UTF_8), "c")).body());
                assertEquals("Trust Provider", json.get("name").asText());
                assertEquals("fr", json.get("lang").asText());

                CscApi.Answer list = component.api().handle(new CscApi.Call("POST", "credentials/list",
                        "Bearer nothing", null, "c"));
                assertEquals(401, list.status());
            } finally {
                component.deactivate();
            }
            // a second activation on the same database finds its migrations applied
            new CscComponent(db.database(), AuditLogs.open(db.database(), List.of()), new CscFixture.Holders(),
                    config(Map.of())).deactivate();
        }
    }
}
