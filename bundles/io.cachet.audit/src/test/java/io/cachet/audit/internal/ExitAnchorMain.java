package io.cachet.audit.internal;

import java.nio.file.Path;

import io.cachet.api.audit.AuditEvent;
import io.cachet.store.internal.JdbcDatabase;
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
        // as the server opens its embedded H2: kept open while shutdown hooks run. WRITE_DELAY=0: a commit is
        // written at once, not up to 500 ms later (H2's default, which loses the last commits when the JVM exits;
        // the server's own URL is the durability fix's concern, see issue 8 "Durability")
        JdbcDatabase db = new JdbcDatabase("jdbc:h2:file:" + data.resolve("db/cachet")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
                "", new char[0], 2);
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
