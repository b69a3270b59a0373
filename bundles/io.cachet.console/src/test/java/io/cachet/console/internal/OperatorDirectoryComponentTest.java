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

    static OperatorDirectoryComponent.Config config(int maxFailedLogins, int lockMinutes) {
        return (OperatorDirectoryComponent.Config) Proxy.newProxyInstance(
                OperatorDirectoryComponentTest.class.getClassLoader(),
                new Class<?>[] {OperatorDirectoryComponent.Config.class}, (p, m, args) -> switch (m.getName()) {
                    case "maxFailedLogins" -> maxFailedLogins;
                    case "lockMinutes" -> lockMinutes;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void activationCreatesTheInitialAdministratorInTheDataDirectory() throws Exception {
        Path data = temp.resolve("data");
        try (var db = TestDatabases.open("h2", temp)) {
            TableAuditLog audit = new TableAuditLog(db.database());
            var component = new OperatorDirectoryComponent(db.database(), audit,
                    context(Map.of("cachet.data", data.toString())), config(5, 15));

            List<String> lines = Files.readAllLines(data.resolve("initial-admin.txt"));
            char[] password = lines.get(2).substring("password=".length()).toCharArray();
            assertTrue(component.authenticate("admin", password).orElseThrow().mustChangePassword());
            assertFalse(component.authenticate("admin", "admin".toCharArray()).isPresent());
            assertEquals(List.of("operator.created", "operator.apikey.created", "operator.login.succeeded",
                    "operator.login.failed"), audit.actions());
        }
    }

    @Test
    void aBadConfigurationIsRefusedWithItsPid() {
        try (var db = TestDatabases.open("h2", temp)) {
            var e = assertThrows(IllegalArgumentException.class, () -> new OperatorDirectoryComponent(db.database(),
                    new TableAuditLog(db.database()), context(Map.of()), config(0, 15)));
            assertEquals("Configuration io.cachet.console.operators: maxFailedLogins must be 1 or more, got 0",
                    e.getMessage());
        }
    }
}
