package io.cachet.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleEvent;

class RuntimeChangeAuditorTest {

    @Test
    void onlyInstallUpdateAndUninstallAreStateChangesWorthAuditing() {
        assertEquals("bundle.installed", RuntimeChangeAuditor.action(BundleEvent.INSTALLED));
        assertEquals("bundle.updated", RuntimeChangeAuditor.action(BundleEvent.UPDATED));
        assertEquals("bundle.uninstalled", RuntimeChangeAuditor.action(BundleEvent.UNINSTALLED));
        assertNull(RuntimeChangeAuditor.action(BundleEvent.STARTED));
        assertNull(RuntimeChangeAuditor.action(BundleEvent.RESOLVED));
    }
}
