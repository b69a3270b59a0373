package io.cachet.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarFile;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.inject.Inject;

import org.junit.After;
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
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;

/**
 * The PKCS#11 token drivers inside the distribution, on the real SoftHSM2: nothing happens without configuration
 * (the server is healthy with no vendor library configured); a configuration brings the {@code softhsm} driver,
 * which initialises a token, generates an EC P-256 key and signs inside Felix; deleting the configuration withdraws
 * the driver while Cachet keeps running, and adding it again (as a file in DATA/deploy, the way an operator does)
 * brings the token and its key back. A wrong module path is logged in one line and changes nothing else. The
 * SafeNet profile runs on SoftHSM2 too, which proves JNA loads its native library from its bundle.
 *
 * <p>SoftHSM2 reads {@code SOFTHSM2_CONF} (set by Surefire, see the pom) at {@code C_Initialize}; the file it names
 * is written here, before the framework starts, with a token directory of this run's own.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class Pkcs11IT {

    static final String SOFTHSM_PID = "io.cachet.token.softhsm";
    static final String SAFENET_PID = "io.cachet.token.safenet";
    static final String GENERIC_PID = "io.cachet.token.pkcs11";
    static final String MODULE = "/usr/lib/softhsm/libsofthsm2.so";
    static final char[] SO_PIN = "so-pin-1234".toCharArray();
    static final char[] USER_PIN = "user-pin-1234".toCharArray();

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurations;

    @Inject
    ServiceComponentRuntime scr;

    private Probe probe;
    /** WARNING and SEVERE records of Cachet's token bundles (SLF4J goes to java.util.logging). */
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger tokenLog = Logger.getLogger("io.cachet.token");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Configuration
    public Option[] config() throws Exception {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null || conf.isBlank()) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: run the integration tests with Maven "
                    + "(the itest pom sets it), or SoftHSM2 would use the machine's own token store");
        }
        if (!Files.isRegularFile(Path.of(MODULE))) {
            throw new IllegalStateException("SoftHSM2 is not installed (" + MODULE + "): apt-get install softhsm2");
        }
        Path tokens = Files.createTempDirectory("cachet-it-softhsm-");
        Files.createDirectories(Path.of(conf).toAbsolutePath().getParent());
        Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
                + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-pkcs11-"), Map.of());
    }

    @Before
    public void ready() {
        probe = new Probe(context);
        probe.healthy();
        tokenLog.addHandler(capture);
    }

    @After
    public void cleanUp() throws Exception {
        tokenLog.removeHandler(capture);
        var generic = configurations.listConfigurations("(service.factoryPid=" + GENERIC_PID + ")");
        for (var existing : generic == null ? new org.osgi.service.cm.Configuration[0] : generic) {
            existing.delete();
        }
        for (String pid : new String[] {SOFTHSM_PID, SAFENET_PID}) {
            Files.deleteIfExists(probe.data().resolve("deploy").resolve(pid + ".cfg"));
            var c = configurations.listConfigurations("(service.pid=" + pid + ")");
            for (var existing : c == null ? new org.osgi.service.cm.Configuration[0] : c) {
                existing.delete();
            }
        }
        Probe.await("no PKCS#11 profile driver left", () -> drivers("softhsm").isEmpty() && drivers("safenet").isEmpty());
    }

    @Test
    public void withoutConfigurationTheDriversWaitAndCachetIsHealthy() throws Exception {
        for (String bsn : new String[] {"io.cachet.token.pkcs11", "io.cachet.token.softhsm", "io.cachet.token.safenet",
            "org.xipki.ipkcs11wrapper", "com.sun.jna"}) {
            Bundle b = bundle(bsn);
            assertNotNull(bsn + " is part of the distribution", b);
            assertEquals(bsn + " active", Bundle.ACTIVE, b.getState());
        }
        // JNA asks for lazy activation: the server's launcher must start it eagerly or /health would stay 503
        assertEquals("lazy", bundle("com.sun.jna").getHeaders().get("Bundle-ActivationPolicy"));
        assertEquals("cachet.jar starts bundles eagerly", "true",
                launcherProperties().getProperty("launch.activation.eager"));

        for (String name : new String[] {SOFTHSM_PID, SAFENET_PID, GENERIC_PID}) {
            ComponentDescriptionDTO d = component(name);
            assertEquals(name + " requires its configuration", "require", d.configurationPolicy);
            Probe.await(name + " waits without a configuration", () -> scr.getComponentConfigurationDTOs(d).isEmpty());
        }
        assertTrue(drivers("softhsm").isEmpty());
        assertTrue(drivers("safenet").isEmpty());
        assertEquals("the software token is still the only driver", 1, context.getServiceReferences(
                TokenDriver.class, null).size());

        JsonNode health = probe.healthyReport();
        assertEquals("UP", health.path("status").asText());
        assertEquals(0, health.path("components").path("unsatisfied").size());
    }

    @Test
    public void softHsmIsConfiguredSignsAndIsSwappedOutAndBackWhileRunning() throws Exception {
        long frameworkStart = context.getBundle(0).getLastModified();
        Bundle wrapper = bundle("org.xipki.ipkcs11wrapper");
        Bundle profile = bundle("io.cachet.token.softhsm");

        org.osgi.service.cm.Configuration config = configurations.getConfiguration(SOFTHSM_PID, "?");
        config.update(dictionary("library", MODULE, "poolSize", 2, "borrowTimeoutMillis", 10000L));
        TokenDriver driver = awaitDriver("softhsm");
        assertEquals("softhsm", driver.id());
        awaitActive(SOFTHSM_PID);

        TokenInfo blank = driver.tokens().stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow(() -> new AssertionError("SoftHSM2 shows no blank token: " + driver.tokens()));
        TokenInfo info = driver.initialize(blank.slotId(), SO_PIN.clone(), USER_PIN.clone(), "itest-pkcs11",
                PinPolicy.TOKEN_DEFAULT);
        assertEquals("itest-pkcs11", info.label());
        assertTrue(info.has(TokenInfo.Flag.INITIALIZED));

        byte[] message = "sealed on SoftHSM2 inside Felix".getBytes(StandardCharsets.UTF_8);
        PublicKey publicKey;
        Token held = driver.login(info.serial(), USER_PIN.clone());
        try {
            TokenKey key = held.generateKeyPair("itest-p256", KeyAlgorithm.EC_P256);
            assertTrue("the private key never leaves the token", key.protectedOnToken());
            publicKey = key.publicKey();
            assertTrue("the signature verifies with the JDK", verifies(publicKey, message,
                    held.sign("itest-p256", SignatureAlgorithm.ECDSA_SHA256, message)));
        } catch (RuntimeException | Error e) {
            held.close();
            throw e;
        }

        // hot swap: the configuration goes, the driver goes, Cachet stays up
        config.delete();
        Probe.await("softhsm driver withdrawn", () -> drivers("softhsm").isEmpty());
        // the service goes first, then the driver closes its tokens: a token still held refuses to sign from then on
        TokenException.Reason[] refused = {null};
        try {
            Probe.await("the token held across the swap closed", () -> {
                try {
                    held.sign("itest-p256", SignatureAlgorithm.ECDSA_SHA256, message);
                    return false;
                } catch (TokenException e) {
                    refused[0] = e.reason();
                    return true;
                }
            });
        } finally {
            held.close();
        }
        assertEquals(TokenException.Reason.CLOSED, refused[0]);
        JsonNode health = probe.healthyReport();
        assertEquals("UP", health.path("status").asText());
        assertEquals(0, health.path("components").path("unsatisfied").size());
        assertEquals("framework never restarted", frameworkStart, context.getBundle(0).getLastModified());
        assertEquals(Bundle.ACTIVE, wrapper.getState());
        assertEquals(Bundle.ACTIVE, profile.getState());
        Probe.await("the softhsm component waits for its configuration again",
                () -> scr.getComponentConfigurationDTOs(component(SOFTHSM_PID)).isEmpty());

        // back, the operator's way: a configuration file in DATA/deploy (FileInstall)
        Path file = probe.data().resolve("deploy").resolve(SOFTHSM_PID + ".cfg");
        Files.writeString(file, "library=" + MODULE + "\npoolSize=2\n");
        TokenDriver again = awaitDriver("softhsm");
        TokenInfo back = again.tokens().stream().filter(t -> info.serial().equals(t.serial())).findFirst()
                .orElseThrow(() -> new AssertionError("token " + info.serial() + " is gone: " + again.tokens()));
        assertEquals("itest-pkcs11", back.label());
        try (Token token = again.login(info.serial(), USER_PIN.clone())) {
            TokenKey key = token.keys().stream().filter(k -> k.alias().equals("itest-p256")).findFirst()
                    .orElseThrow(() -> new AssertionError("key itest-p256 is gone: " + token.keys()));
            assertEquals(KeyAlgorithm.EC_P256, key.algorithm());
            assertArrayEquals(publicKey.getEncoded(), key.publicKey().getEncoded());
            assertTrue("the key signs again after the swap", verifies(publicKey, message,
                    token.sign("itest-p256", SignatureAlgorithm.ECDSA_SHA256, message)));
        }

        Files.delete(file);
        Probe.await("softhsm driver withdrawn with its file", () -> drivers("softhsm").isEmpty());
        assertEquals("UP", probe.healthy().path("status").asText());
        assertTrue("nothing was logged as a problem: " + messages(), problems().isEmpty());
    }

    @Test
    public void aWrongModulePathIsLoggedInOneLineAndHealthNamesIt() throws Exception {
        org.osgi.service.cm.Configuration config = configurations.getConfiguration(SOFTHSM_PID, "?");
        String missing = "/nowhere/libsofthsm2.so";
        config.update(dictionary("library", missing));
        Probe.await("the missing module is logged", () -> problems().stream().anyMatch(m -> m.contains(missing)));
        assertEquals("no driver", 0, drivers("softhsm").size());
        awaitActive(SOFTHSM_PID);
        // a configured driver that does not work is not healthy: 503, naming the driver and the library
        awaitUnhealthy("driver.softhsm", missing);

        // a file that exists but is no PKCS#11 module
        Path notAModule = Files.createTempFile("not-a-pkcs11-module-", ".so");
        Files.writeString(notAModule, "this is not a shared library\n");
        logged.clear();
        config.update(dictionary("library", notAModule.toString()));
        Probe.await("the unusable module is logged",
                () -> problems().stream().anyMatch(m -> m.contains(notAModule.toString())));
        assertEquals(0, drivers("softhsm").size());
        awaitActive(SOFTHSM_PID);
        for (String m : problems()) {
            assertFalse("one line: " + m, m.contains("\n"));
        }
        awaitUnhealthy("driver.softhsm", notAModule.toString());

        // corrected while running
        config.update(dictionary("library", MODULE));
        assertEquals("softhsm", awaitDriver("softhsm").id());
        assertEquals("UP", probe.healthy().path("status").asText());
    }

    @Test
    public void theSafeNetProfileRunsOnSoftHsmWithJnaInsideFelix() throws Exception {
        // JNA is the com.sun.jna bundle and loads its own JNI library from it
        Class<?> nativeLibrary = Class.forName("com.sun.jna.NativeLibrary");
        assertEquals("com.sun.jna", FrameworkUtil.getBundle(nativeLibrary).getSymbolicName());
        Object library = nativeLibrary.getMethod("getInstance", String.class).invoke(null, MODULE);
        assertNotNull(nativeLibrary.getMethod("getFunction", String.class).invoke(library, "C_GetFunctionList"));

        org.osgi.service.cm.Configuration config = configurations.getConfiguration(SAFENET_PID, "?");
        config.update(dictionary("library", MODULE, "modelCapabilities", new String[] {"EC_P384"}));
        TokenDriver driver = awaitDriver("safenet");
        assertTrue(driver.capabilities().contains(TokenCapability.PIN_TRIES_REPORTED));
        assertFalse("SoftHSM2 has no ETC_* functions: no PIN policy capability",
                driver.capabilities().contains(TokenCapability.PIN_RETRY_LIMIT));
        assertTrue("told in the log: " + messages(), problems().stream().anyMatch(m -> m.contains("ETC_")));
        assertFalse(driver.tokens().isEmpty());
        assertEquals("UP", probe.healthy().path("status").asText());

        config.delete();
        Probe.await("safenet driver withdrawn", () -> drivers("safenet").isEmpty());
        assertEquals("UP", probe.healthy().path("status").asText());
    }

    @Test
    public void theGenericDriverTakesAnyModuleByFactoryConfiguration() throws Exception {
        org.osgi.service.cm.Configuration config = configurations.createFactoryConfiguration(GENERIC_PID, "?");
        try {
            config.update(dictionary("library", MODULE, "token.driver", "itest-generic", "capabilities",
                    new String[] {"EC_P384"}));
            TokenDriver driver = awaitDriver("itest-generic");
            assertEquals("itest-generic", driver.id());
            assertTrue(driver.capabilities().contains(TokenCapability.EC_P384));
            assertFalse(driver.tokens().isEmpty());
            assertEquals("UP", probe.healthy().path("status").asText());

            // stricter than the profiles: a wrong generic configuration fails its component at once (it is
            // immediate), and /health says so until the configuration is corrected or removed
            config.update(dictionary("library", "/nowhere/module.so", "token.driver", "itest-generic"));
            String[] last = {""};
            Probe.await("/health names the failed component", () -> {
                var r = probe.healthReport();
                last[0] = r.statusCode() + " " + r.body();
                return r.statusCode() == 503 && r.body().contains(GENERIC_PID);
            });
            assertTrue(last[0], last[0].contains("FAILED_ACTIVATION"));
            for (ServiceReference<TokenDriver> ref : drivers("itest-generic")) {
                assertEquals("SCR hands out no driver for a failed configuration", null, context.getService(ref));
            }
        } finally {
            config.delete();
        }
        assertEquals("UP", probe.healthy().path("status").asText());
    }

    /** Waits for GET /health to answer 503 with an unhealthy check {@code check} whose detail names {@code what}. */
    private void awaitUnhealthy(String check, String what) {
        String[] last = {""};
        try {
            Probe.await("/health 503 naming " + check, () -> {
                var r = probe.healthReport();
                last[0] = r.statusCode() + " " + r.body();
                JsonNode c = Probe.json(r).path("checks").path(check);
                return r.statusCode() == 503 && !c.path("healthy").asBoolean(true)
                        && c.path("detail").asText().contains(what);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last answer: " + last[0], e);
        }
    }

    private TokenDriver awaitDriver(String id) {
        Probe.await("token driver " + id, () -> !drivers(id).isEmpty());
        Collection<ServiceReference<TokenDriver>> refs = drivers(id);
        assertEquals("one " + id + " driver", 1, refs.size());
        // a bundle context is not a service's owner: the reference stays valid for this test
        return context.getService(refs.iterator().next());
    }

    private Collection<ServiceReference<TokenDriver>> drivers(String id) {
        try {
            return context.getServiceReferences(TokenDriver.class, "(" + TokenDriver.ID + "=" + id + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ComponentDescriptionDTO component(String name) {
        return scr.getComponentDescriptionDTOs().stream().filter(d -> d.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no component " + name));
    }

    /** Waits until the one configuration of component {@code name} is active (SCR activates asynchronously). */
    private void awaitActive(String name) {
        ComponentDescriptionDTO d = component(name);
        Probe.await(name + " active", () -> {
            Collection<ComponentConfigurationDTO> configs = scr.getComponentConfigurationDTOs(d);
            return configs.size() == 1 && configs.iterator().next().state == ComponentConfigurationDTO.ACTIVE;
        });
    }

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst()
                .orElse(null);
    }

    private List<String> problems() {
        List<String> lines = new ArrayList<>();
        for (LogRecord r : logged) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                lines.add(r.getLevel() + " " + r.getLoggerName() + " " + format(r));
            }
        }
        return lines;
    }

    private List<String> messages() {
        return logged.stream().map(r -> r.getLevel() + " " + format(r)).toList();
    }

    private static String format(LogRecord r) {
        return new java.util.logging.SimpleFormatter().formatMessage(r);
    }

    private static Dictionary<String, Object> dictionary(Object... keysAndValues) {
        Dictionary<String, Object> d = new Hashtable<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            d.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return d;
    }

    private static boolean verifies(PublicKey key, byte[] message, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(key);
        verifier.update(message);
        return verifier.verify(signature);
    }

    private static Properties launcherProperties() throws IOException {
        Path jar = Path.of(System.getProperty("cachet.itest.distribution"), "cachet.jar");
        try (JarFile j = new JarFile(jar.toFile()); InputStream in = j.getInputStream(j.getEntry("launcher.properties"))) {
            Properties p = new Properties();
            p.load(in);
            return p;
        }
    }
}
