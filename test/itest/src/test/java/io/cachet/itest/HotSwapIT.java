package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;

/**
 * Deployments change while running: a reseller's brand bundle is dropped into DATA/deploy, selected by a
 * configuration file, then removed — with no framework restart, no data lost, and a clean fall-back. Broken
 * add-ons (a bundle that does not resolve, a malformed configuration file) are reported and change nothing else.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {

    @Inject
    BundleContext context;

    @Inject
    AuditLog audit;

    @Inject
    ConfigurationAdmin configurations;

    private Probe probe;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-swap-"), Map.of());
    }

    @Before
    public void ready() {
        probe = new Probe(context);
        probe.healthy();
    }

    private boolean homeShows(String text) {
        return probe.get("/").body().contains(text);
    }

    /**
     * Returns once FileInstall has finished a whole scan of DATA/deploy that began after this call: a sentinel
     * configuration file is dropped and then removed, and each step is seen in Configuration Admin. FileInstall
     * scans one at a time, and each scan ends by starting the bundles it manages; so whatever was in DATA/deploy
     * before the call has been processed, and a bundle installed before it has been tried at least once.
     */
    private void awaitFileInstallScan() throws Exception {
        String pid = "io.cachet.itest.sentinel" + System.nanoTime();
        Path file = probe.data().resolve("deploy").resolve(pid + ".cfg");
        Files.writeString(file, "sentinel=true\n");
        Probe.await("FileInstall to pick up " + file.getFileName(), () -> configured(pid));
        Files.delete(file);
        Probe.await("FileInstall to see " + file.getFileName() + " removed", () -> !configured(pid));
    }

    private boolean configured(String pid) {
        try {
            org.osgi.service.cm.Configuration[] found = configurations.listConfigurations("(service.pid=" + pid + ")");
            return found != null && found.length > 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst().orElse(null);
    }

    @Test
    public void brandBundleIsInstalledSelectedAndRemovedWhileRunning() throws Exception {
        long frameworkStart = context.getBundle(0).getLastModified();
        Bundle store = bundle("io.cachet.store");
        AuditRecord before = audit.append(AuditEvent.of("system", "itest.marker", "hot-swap", "before"));
        assertTrue(homeShows("<h1>Cachet</h1>"));

        Path deploy = probe.data().resolve("deploy");
        Path jar = deploy.resolve("io.cachet.brand.example.jar");
        Files.copy(Path.of(System.getProperty("cachet.itest.samples"), "io.cachet.brand.example.jar"), jar,
                StandardCopyOption.REPLACE_EXISTING);
        Probe.await("example brand bundle active", () -> {
            Bundle b = bundle("io.cachet.brand.example");
            return b != null && b.getState() == Bundle.ACTIVE;
        });
        assertTrue("installed but not selected: the default brand stays", homeShows("<h1>Cachet</h1>"));

        Path config = deploy.resolve("io.cachet.web.brand.cfg");
        Files.writeString(config, "brand=example\n");
        Probe.await("home page in the example brand", () -> homeShows("Example Trust Services"));

        Files.delete(jar);
        Probe.await("example brand bundle uninstalled", () -> bundle("io.cachet.brand.example") == null);
        Probe.await("home page back to the default brand", () -> homeShows("<h1>Cachet</h1>"));
        Files.delete(config);

        JsonNode health = probe.healthy();
        assertEquals("UP", health.path("status").asText());
        assertEquals("framework never restarted", frameworkStart, context.getBundle(0).getLastModified());
        assertEquals("core bundles untouched", Bundle.ACTIVE, store.getState());
        assertTrue("no data lost", audit.read(before.sequence(), 1).stream()
                .anyMatch(r -> r.hash().equals(before.hash())));
        assertTrue(audit.verify().intact());
        Probe.await("the swap is in the audit log", () -> {
            var actions = audit.read(before.sequence() + 1, 1000).stream().map(r -> r.action() + " " + r.subject()).toList();
            return actions.stream().anyMatch(a -> a.startsWith("bundle.installed bundle:io.cachet.brand.example@"))
                    && actions.contains("configuration.updated pid:io.cachet.web.brand")
                    && actions.stream().anyMatch(a -> a.startsWith("bundle.uninstalled bundle:io.cachet.brand.example@"));
        });
    }

    @Test
    public void aBundleThatDoesNotResolveIsReportedAndChangesNothingElse() throws Exception {
        Path broken = probe.data().resolve("deploy").resolve("broken-addon.jar");
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "com.example.broken.addon");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", "com.example.does.not.exist;version=\"[9,10)\"");
        try (OutputStream out = Files.newOutputStream(broken); JarOutputStream jar = new JarOutputStream(out, mf)) {
            // a manifest is all it takes
        }
        Probe.await("broken add-on installed", () -> bundle("com.example.broken.addon") != null);
        Bundle addon = bundle("com.example.broken.addon");
        awaitFileInstallScan(); // FileInstall has tried to start it
        assertFalse(addon.getState() == Bundle.ACTIVE);

        JsonNode health = probe.healthyReport();
        assertEquals("the core keeps serving", "UP", health.path("status").asText());
        assertTrue("reported in /health: " + health.path("deployed"),
                health.path("deployed").toString().contains("com.example.broken.addon"));
        for (String core : new String[] {"io.cachet.store", "io.cachet.web", "io.cachet.rest"}) {
            assertEquals(core + " untouched", Bundle.ACTIVE, bundle(core).getState());
        }

        Files.delete(broken);
        Probe.await("broken add-on removed", () -> bundle("com.example.broken.addon") == null);
    }

    @Test
    public void aMalformedConfigurationFileChangesNothing() throws Exception {
        Path bad = probe.data().resolve("deploy").resolve("io.cachet.web.brand.config");
        Files.writeString(bad, "brand=\"unterminated\nthis is { not a config\n");
        awaitFileInstallScan(); // FileInstall has read it (and refused it)
        assertTrue(homeShows("<h1>Cachet</h1>"));
        assertEquals("UP", probe.healthy().path("status").asText());
        Files.delete(bad);
    }
}
