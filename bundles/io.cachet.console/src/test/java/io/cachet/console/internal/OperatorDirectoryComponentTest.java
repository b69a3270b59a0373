package io.cachet.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import io.cachet.store.testing.TestDatabases;

/** The DS component without a framework: what it does on activation. */
class OperatorDirectoryComponentTest {

    @TempDir
    Path temp;

    static BundleContext context(Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(OperatorDirectoryComponentTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, args) -> {
                    if (m.getName().equals("getProperty")) {
                        return properties.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    static OperatorDirectoryComponent.Config config(int freeAttempts, int clientMaxSeconds) {
        return (OperatorDirectoryComponent.Config) Proxy.newProxyInstance(
                OperatorDirectoryComponentTest.class.getClassLoader(),
                new Class<?>[] {OperatorDirectoryComponent.Config.class}, (p, m, args) -> switch (m.getName()) {
                    case "backoffFreeAttempts" -> freeAttempts;
                    case "backoffInitialSeconds" -> 1;
                    case "clientBackoffMaxSeconds" -> clientMaxSeconds;
                    case "accountBackoffMaxSeconds" -> 60;
                    case "throttleMaxEntries" -> 10_000;
                    case "auditSummaryMinutes" -> 5;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void activationCreatesTheInitialAdministratorInTheDataDirectory() throws Exception {
        Path data = temp.resolve("data");
        try (var db = TestDatabases.open("h2", temp)) {
            TableAuditLog audit = new TableAuditLog(db.database());
            var component = new OperatorDirectoryComponent(db.database(), audit,
                    context(Map.of("cachet.data", data.toString())), config(5, 900));

            List<String> lines = Files.readAllLines(data.resolve("initial-admin.txt"));
            char[] password = lines.get(2).substring("password=".length()).toCharArray();
            try {
                assertTrue(component.login("admin", password, "192.0.2.1").operator().mustChangePassword());
                assertFalse(component.login("admin", "admin".toCharArray(), "192.0.2.1").granted());
                assertEquals(List.of("operator.created", "operator.apikey.created", "operator.login.succeeded",
                        "operator.login.failed"), audit.actions());
            } finally {
                component.deactivate();
            }
        }
    }

    @Test
    void aBadConfigurationIsRefusedWithItsPid() {
        try (var db = TestDatabases.open("h2", temp)) {
            var e = assertThrows(IllegalArgumentException.class, () -> new OperatorDirectoryComponent(db.database(),
                    new TableAuditLog(db.database()), context(Map.of()), config(0, 900)));
            assertEquals("Configuration io.cachet.console.operators: backoffFreeAttempts must be 1 or more, got 0",
                    e.getMessage());
        }
    }
}
