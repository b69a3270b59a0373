package io.cachet.web.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ConsoleAuditorTest {

    private static ConsoleAuditor.Action classify(String path, Map<String, String> params, String bundle) {
        return ConsoleAuditor.classify(path, params::get, bundle);
    }

    @Test
    void configurationChangesNameThePid() {
        assertEquals(new ConsoleAuditor.Action("console.configuration.updated", "pid:io.cachet.ca"),
                classify("/configMgr/io.cachet.ca", Map.of("apply", "true"), null));
        assertEquals(new ConsoleAuditor.Action("console.configuration.deleted", "pid:io.cachet.ca"),
                classify("/configMgr/io.cachet.ca", Map.of("apply", "true", "delete", "true"), null));
        assertEquals(new ConsoleAuditor.Action("console.configuration.updated",
                "pid:io.cachet.token.pkcs11~x factory:io.cachet.token.pkcs11"),
                classify("/configMgr/io.cachet.token.pkcs11~x", Map.of("factoryPid", "io.cachet.token.pkcs11"), null));
    }

    @Test
    void bundleActionsNameTheBundle() {
        assertEquals(new ConsoleAuditor.Action("console.bundle.installed", ""),
                classify("/bundles/install", Map.of(), null));
        assertEquals(new ConsoleAuditor.Action("console.bundle.installed", ""),
                classify("/bundles", Map.of("action", "install"), null));
        assertEquals(new ConsoleAuditor.Action("console.bundle.uninstall", "bundle:com.example@1.0.0"),
                classify("/bundles/42", Map.of("action", "uninstall"), "bundle:com.example@1.0.0"));
        assertEquals("bundle:b42", ConsoleAuditor.bundleOf("/bundles/42", id -> "bundle:b" + id));
        assertNull(ConsoleAuditor.bundleOf("/bundles/install", id -> "bundle:b" + id));
    }

    @Test
    void anythingElseIsRecordedByItsPath() {
        assertEquals(new ConsoleAuditor.Action("console.request", "console:/vmstat"),
                classify("/vmstat", Map.of("shutdown_type", "Stop"), null));
    }
}
