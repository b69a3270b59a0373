package io.cachet.audit.internal;

import java.nio.file.Path;

import io.cachet.api.audit.AuditEvent;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;

/**
 * A process that runs the audit component like the server does and is then ended with SIGTERM, as the operator
 * stops the server (the framework is not stopped: the JVM just exits). Args: data directory, record count.
 */
public final class ExitAnchorMain {

    private ExitAnchorMain() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        // as the server opens its embedded H2 (durable commits), kept open while shutdown hooks run
        var db = TestDatabases.embedded(data).database();
        AuditComponent component = new AuditComponent(db, TestVaults.embedded(data),
                AuditComponentTest.config(3600, 1000, ""), data);
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
            component.append(AuditEvent.of("system", "test.exit", "", "" + i));
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
